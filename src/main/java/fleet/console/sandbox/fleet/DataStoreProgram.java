package fleet.console.sandbox.fleet;

import fleet.console.sandbox.kubelet.ContainerProgram;
import fleet.console.sandbox.kubelet.ExecResult;
import fleet.console.sandbox.kubelet.ProgramContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A data store (Neo4j, Valkey) or any other long-running container: prints its lines, becomes ready,
 * and answers the commands the runbook runs in it by {@code kubectl exec}: Neo4j's database dump,
 * Valkey's {@code SAVE} (or {@code --rdb} transfer), and {@code cat}/{@code stat}/{@code ls} of the files
 * they write, which live on the pod's volume and so survive a restart but not the namespace.
 */
final class DataStoreProgram implements ContainerProgram {

    private final List<String> startupLines;
    private final String heartbeat;
    private final FleetWorld world;

    DataStoreProgram(List<String> startupLines, String heartbeat, FleetWorld world) {
        this.startupLines = List.copyOf(startupLines);
        this.heartbeat = heartbeat;
        this.world = world;
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

    @Override
    public ExecResult exec(List<String> command, ProgramContext ctx) {
        Map<String, String> files = world.volume(ctx.pod().getMetadata().getNamespace(), ctx.pod().getMetadata().getName());
        String program = command.get(0);
        List<String> args = command.subList(1, command.size());
        return switch (program) {
            case "neo4j-admin" -> neo4jAdmin(args, files, ctx);
            case "redis-cli", "valkey-cli" -> redisCli(program, args, files, ctx);
            case "cat" -> args.size() == 1 && files.containsKey(args.get(0))
                    ? ExecResult.ok(files.get(args.get(0)))
                    : ExecResult.failed(1, "cat: " + (args.isEmpty() ? "" : args.get(0)) + ": No such file or directory\n");
            case "stat" -> stat(args, files);
            case "ls" -> ls(args, files);
            default -> ExecResult.notFound(program);
        };
    }

    private ExecResult neo4jAdmin(List<String> args, Map<String, String> files, ProgramContext ctx) {
        if (!ctx.container().getName().contains("neo4j")) {
            return ExecResult.notFound("neo4j-admin");
        }
        if (args.size() < 2 || !args.get(0).equals("database") || !args.get(1).equals("dump")) {
            return ExecResult.failed(2, "Unmatched arguments: " + String.join(" ", args) + "\nUsage: neo4j-admin database dump [--to-path=<path>] <database>\n");
        }
        String database = null;
        String toPath = null;
        for (String a : args.subList(2, args.size())) {
            if (a.startsWith("--to-path=")) {
                toPath = a.substring("--to-path=".length());
            } else if (!a.startsWith("-")) {
                database = a;
            }
        }
        if (database == null) {
            return ExecResult.failed(2, "Missing required parameter: '<database>'\n");
        }
        if (!database.equals("neo4j") && !database.equals("system")) {
            return ExecResult.failed(1, "Database does not exist: " + database + "\n");
        }
        String dir = toPath == null ? "/data/dumps" : toPath.replaceAll("/+$", "");
        String file = dir + "/" + database + ".dump";
        files.put(file, dumpContent("NEO4J-DUMP " + database, 48 * 1024));
        return new ExecResult("", "2026-11-26 12:00:00.000+0000 INFO  [o.n.c.d.DumpCommand] Starting dump of database '" + database + "'\n"
                + "Done: 37 files, " + files.get(file).length() / 1024 + " KiB processed.\n", 0);
    }

    private ExecResult redisCli(String program, List<String> args, Map<String, String> files, ProgramContext ctx) {
        if (!ctx.container().getName().contains("valkey") && !ctx.container().getName().contains("redis")) {
            return ExecResult.notFound(program);
        }
        int rdb = args.indexOf("--rdb");
        if (rdb >= 0) {
            if (rdb + 1 >= args.size()) {
                return ExecResult.failed(1, "Unrecognized option or bad number of args for: '--rdb'\n");
            }
            String file = args.get(rdb + 1);
            String content = dumpContent("REDIS0011", 12 * 1024);
            files.put(file, content);
            return ExecResult.ok("sending REPLCONF capa eof\nSYNC sent to master, writing " + content.length()
                    + " bytes to '" + file + "'\nTransfer finished with success.\n");
        }
        if (args.size() == 1 && args.get(0).equalsIgnoreCase("SAVE")) {
            files.put("/data/dump.rdb", dumpContent("REDIS0011", 12 * 1024));
            return ExecResult.ok("OK\n");
        }
        if (args.size() == 1 && args.get(0).equalsIgnoreCase("PING")) {
            return ExecResult.ok("PONG\n");
        }
        return ExecResult.ok("(error) ERR unknown command '" + (args.isEmpty() ? "" : args.get(0)) + "'\n");
    }

    private static ExecResult stat(List<String> args, Map<String, String> files) {
        String path = args.isEmpty() ? "" : args.get(args.size() - 1);
        String content = files.get(path);
        if (content == null) {
            return ExecResult.failed(1, "stat: cannot statx '" + path + "': No such file or directory\n");
        }
        return ExecResult.ok(args.contains("%s") ? content.length() + "\n" : "  File: " + path + "\n  Size: " + content.length() + "\n");
    }

    private static ExecResult ls(List<String> args, Map<String, String> files) {
        String path = args.isEmpty() ? "/" : args.get(args.size() - 1);
        String content = files.get(path);
        if (content == null) {
            return ExecResult.failed(2, "ls: cannot access '" + path + "': No such file or directory\n");
        }
        return ExecResult.ok("-rw-r--r-- 1 7474 7474 " + content.length() + " Nov 26 12:00 " + path + "\n");
    }

    /** Printable, deterministic filler of about the given size, as a dump's stand-in. */
    private static String dumpContent(String header, int size) {
        StringBuilder b = new StringBuilder(size + 64).append(header).append('\n');
        int n = 0;
        while (b.length() < size) {
            b.append("record ").append(n++).append(" 0123456789abcdef\n");
        }
        return b.toString();
    }
}
