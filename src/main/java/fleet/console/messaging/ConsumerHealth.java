package fleet.console.messaging;

import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One consumer judged the way an operator would: whose it is (the profile's durables to services), and
 * whether it is stale: nobody there and nothing done for a long time, or work piling up with nobody
 * acknowledging. Leftover durables of older versions ({@code -v2} beside {@code -v3}) are the usual case.
 */
public record ConsumerHealth(ConsumerRow consumer, Optional<String> owner, boolean stale, String verdict) {

    /** How long without activity makes a consumer with no interest stale. */
    public static final Duration IDLE_LIMIT = Duration.ofMinutes(10);
    /** How long a pile-up must last before it is called one. */
    public static final Duration GROWTH_WINDOW = Duration.ofMinutes(1);

    public static ConsumerHealth judge(ConsumerRow c, FleetProfile profile, ConsumerSamples samples, Instant now) {
        Optional<String> owner = profile.ownerOfDurable(c.durable()).map(ServiceSpec::name);
        if (c.ephemeral()) {
            return new ConsumerHealth(c, owner, false, "ephemeral");
        }
        Optional<Instant> active = c.lastActive().or(c::created);
        Duration idle = active.map(a -> Duration.between(a, now)).orElse(Duration.ZERO);
        boolean noInterest = !c.hasInterest();
        if (noInterest && idle.compareTo(IDLE_LIMIT) >= 0) {
            return new ConsumerHealth(c, owner, true, String.format("%,d unprocessed, no interest, last active %s ago",
                    c.unprocessed(), human(idle)));
        }
        if (c.push() && noInterest && c.lastDelivered().isEmpty() && c.unprocessed() > 0
                && c.created().map(t -> Duration.between(t, now).compareTo(GROWTH_WINDOW) >= 0).orElse(false)) {
            // A push durable nobody has ever received from: a leftover of an older version, as a rule.
            return new ConsumerHealth(c, owner, true, String.format("%,d unprocessed, never delivered to anyone since it was created %s ago",
                    c.unprocessed(), human(Duration.between(c.created().get(), now))));
        }
        if (samples.growingWhileNothingAcks(c.key(), GROWTH_WINDOW)) {
            return new ConsumerHealth(c, owner, true, String.format("%,d unprocessed and growing, nothing acknowledged for %s",
                    c.unprocessed(), human(idle)));
        }
        if (c.push() && noInterest && c.unprocessed() > 0) {
            return new ConsumerHealth(c, owner, false, String.format("%,d unprocessed, no subscriber bound", c.unprocessed()));
        }
        return new ConsumerHealth(c, owner, false, c.unprocessed() == 0 ? "up to date" : String.format("%,d unprocessed", c.unprocessed()));
    }

    /** {@code 4m}, {@code 2h 5m}, {@code 3d}: how long, as an operator reads it. */
    public static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d";
    }
}
