package fleet.console.messaging;

import fleet.console.profile.FleetProfile;
import fleet.console.profile.StreamSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The profile's declared streams side by side with the server's: missing, extra, or different subjects
 * and limits. The fleet's three sources of stream definitions disagree; the console trusts neither and
 * shows the difference.
 */
public final class StreamDrift {

    public enum Kind { SAME, MISSING, EXTRA, DIFFERENT }

    /** One stream's comparison; {@code differences} like {@code max age: declared 7d, server 30d}. */
    public record Row(String stream, Kind kind, Optional<StreamSpec> declared, Optional<StreamRow> actual, List<String> differences) {
        public Row {
            differences = List.copyOf(differences);
        }
    }

    private StreamDrift() {
    }

    public static List<Row> compare(FleetProfile profile, List<StreamRow> server) {
        Map<String, StreamRow> actual = server.stream().collect(Collectors.toMap(StreamRow::name, Function.identity(), (a, b) -> a, TreeMap::new));
        List<Row> rows = new ArrayList<>();
        for (StreamSpec s : profile.streams()) {
            StreamRow a = actual.remove(s.name());
            if (a == null) {
                rows.add(new Row(s.name(), Kind.MISSING, Optional.of(s), Optional.empty(), List.of("declared, not on the server")));
                continue;
            }
            List<String> diff = differences(s, a);
            rows.add(new Row(s.name(), diff.isEmpty() ? Kind.SAME : Kind.DIFFERENT, Optional.of(s), Optional.of(a), diff));
        }
        for (StreamRow extra : actual.values()) {
            rows.add(new Row(extra.name(), Kind.EXTRA, Optional.empty(), Optional.of(extra), List.of("on the server, not declared")));
        }
        return rows;
    }

    public static boolean drifted(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.kind() != Kind.SAME);
    }

    private static List<String> differences(StreamSpec s, StreamRow a) {
        List<String> out = new ArrayList<>();
        compare(out, "subjects", s.subjects().stream().sorted().toList(), a.subjects().stream().sorted().toList());
        compare(out, "retention", s.retention().yamlName(), a.retention());
        compare(out, "storage", s.storage().yamlName(), a.storage());
        compare(out, "replicas", s.replicas(), a.replicas());
        compare(out, "max age", age(s.maxAge()), age(a.maxAge()));
        compare(out, "max messages", count(s.maxMsgs()), count(a.maxMsgs()));
        compare(out, "max bytes", count(s.maxBytes()), count(a.maxBytes()));
        compare(out, "discard", s.discard().yamlName(), a.discard());
        return out;
    }

    private static void compare(List<String> out, String what, Object declared, Object server) {
        if (!Objects.equals(declared, server)) {
            out.add(what + ": declared " + declared + ", server " + server);
        }
    }

    static String age(Duration d) {
        if (d.isZero()) {
            return "none";
        }
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return (s / 86_400) + "d";
        }
        if (s % 3600 == 0) {
            return (s / 3600) + "h";
        }
        if (s % 60 == 0) {
            return (s / 60) + "m";
        }
        return s + "s";
    }

    private static String count(long n) {
        return n < 0 ? "none" : String.format("%,d", n);
    }
}
