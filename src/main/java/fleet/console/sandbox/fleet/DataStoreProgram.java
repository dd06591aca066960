package fleet.console.sandbox.fleet;

import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ProgramContext;

import java.time.Duration;
import java.util.List;

/** A data store (Neo4j, Valkey) or any other long-running container: prints its lines, becomes ready. */
final class DataStoreProgram implements ContainerProgram {

    private final List<String> startupLines;
    private final String heartbeat;

    DataStoreProgram(List<String> startupLines, String heartbeat) {
        this.startupLines = List.copyOf(startupLines);
        this.heartbeat = heartbeat;
    }

    @Override
    public void start(ProgramContext ctx) {
        for (int i = 0; i < startupLines.size(); i++) {
            String line = startupLines.get(i);
            ctx.after(Duration.ofMillis(70L * (i + 1)), () -> ctx.log(line));
        }
        ctx.after(Duration.ofMillis(70L * (startupLines.size() + 1)), () -> {
            ctx.ready(true);
            if (heartbeat != null) {
                ctx.every(Duration.ofSeconds(5), () -> ctx.log(heartbeat));
            }
        });
    }
}
