package fleet.console.messaging;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionException;

/**
 * Streams and consumers as the server has them. Consumers of every stream at once (natscli cannot):
 * the streams come in pages, each stream's consumers are asked in parallel, so a thousand streams list
 * in a moment rather than one round trip after another.
 */
public final class JetStreamInventory {

    /** A server answers a few hundred API requests at once without trouble; more only queues there. */
    private static final int PARALLEL = 16;

    private final JetStreamManagement jsm;

    public JetStreamInventory(JetStreamManagement jsm) {
        this.jsm = jsm;
    }

    public List<StreamRow> streams() throws NatsProblem {
        try {
            return jsm.getStreams().stream().map(JetStreamInventory::row).sorted(Comparator.comparing(StreamRow::name)).toList();
        } catch (IOException | JetStreamApiException e) {
            throw failed("list the streams", e);
        }
    }

    public Optional<StreamRow> stream(String name) throws NatsProblem {
        try {
            return Optional.of(row(jsm.getStreamInfo(name)));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10059) {
                return Optional.empty();
            }
            throw failed("read stream " + name, e);
        } catch (IOException e) {
            throw failed("read stream " + name, e);
        }
    }

    public List<ConsumerRow> consumers(String stream) throws NatsProblem {
        try {
            return jsm.getConsumers(stream).stream().map(JetStreamInventory::row).sorted(Comparator.comparing(ConsumerRow::durable)).toList();
        } catch (IOException | JetStreamApiException e) {
            throw failed("list the consumers of " + stream, e);
        }
    }

    /** Every consumer of every stream. */
    public List<ConsumerRow> allConsumers(List<StreamRow> streams) throws NatsProblem {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, streams.size())), r -> {
            Thread t = new Thread(r, "nats-inventory");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<List<ConsumerRow>>> asks = new ArrayList<>();
            for (StreamRow s : streams) {
                if (s.consumers() == 0) {
                    continue;
                }
                asks.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return consumers(s.name());
                    } catch (NatsProblem e) {
                        throw new CompletionException(e);
                    }
                }, pool));
            }
            List<ConsumerRow> all = new ArrayList<>();
            for (CompletableFuture<List<ConsumerRow>> ask : asks) {
                all.addAll(ask.join());
            }
            all.sort(Comparator.comparing(ConsumerRow::stream).thenComparing(ConsumerRow::durable));
            return all;
        } catch (CompletionException e) {
            if (e.getCause() instanceof NatsProblem p) {
                throw p;
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    static StreamRow row(StreamInfo info) {
        StreamConfiguration c = info.getConfiguration();
        return new StreamRow(c.getName(), c.getSubjects(), c.getRetentionPolicy().toString().toLowerCase(),
                c.getStorageType().toString().toLowerCase(), c.getReplicas(), info.getStreamState().getMsgCount(),
                info.getStreamState().getByteCount(), info.getStreamState().getFirstSequence(), time(info.getStreamState().getFirstTime()),
                info.getStreamState().getLastSequence(), time(info.getStreamState().getLastTime()),
                info.getStreamState().getConsumerCount(), c.getMaxAge() == null ? Duration.ZERO : c.getMaxAge(), c.getMaxMsgs(),
                c.getMaxBytes(), c.getDiscardPolicy() == null ? "old" : c.getDiscardPolicy().toString().toLowerCase());
    }

    static ConsumerRow row(ConsumerInfo info) {
        ConsumerConfiguration c = info.getConsumerConfiguration();
        boolean push = c.getDeliverSubject() != null && !c.getDeliverSubject().isBlank();
        List<String> filters = c.getFilterSubjects() == null || c.getFilterSubjects().isEmpty()
                ? (c.getFilterSubject() == null ? List.of() : List.of(c.getFilterSubject())) : c.getFilterSubjects();
        String durable = c.getDurable() != null ? c.getDurable() : info.getName();
        return new ConsumerRow(info.getStreamName(), durable, c.getDurable() == null,
                push, push ? c.getDeliverSubject() : "", c.getDeliverGroup() == null ? "" : c.getDeliverGroup(), filters,
                c.getAckPolicy() == null ? "explicit" : c.getAckPolicy().toString().toLowerCase(), info.getNumPending(),
                info.getNumAckPending(), info.getRedelivered(), info.getNumWaiting(), info.isPushBound(),
                info.getDelivered() == null ? 0 : info.getDelivered().getStreamSequence(),
                info.getDelivered() == null ? Optional.empty() : time(info.getDelivered().getLastActive()),
                info.getAckFloor() == null ? 0 : info.getAckFloor().getStreamSequence(),
                info.getAckFloor() == null ? Optional.empty() : time(info.getAckFloor().getLastActive()),
                time(info.getCreationTime()));
    }

    private static Optional<Instant> time(ZonedDateTime t) {
        // The server reports "never" as the zero time.
        return t == null || t.getYear() <= 1 ? Optional.empty() : Optional.of(t.toInstant());
    }

    static NatsProblem failed(String what, Exception e) {
        return new NatsProblem(NatsProblem.Kind.UNREACHABLE, "Could not " + what + ": " + e.getMessage(),
                "The connection reconnects by itself; the data shown is marked stale until it does.", e);
    }
}
