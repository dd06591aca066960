package fleet.console.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfig files as operators have them, good and bad, written for a test. */
public final class Kubeconfigs {

    private Kubeconfigs() {
    }

    /** One context per (name, server URL) pair; the first is the current one. */
    public static Path withContexts(Path dir, String... nameThenServer) {
        StringBuilder clusters = new StringBuilder();
        StringBuilder contexts = new StringBuilder();
        for (int i = 0; i < nameThenServer.length; i += 2) {
            String name = nameThenServer[i];
            clusters.append("- name: ").append(name).append("\n  cluster:\n    server: ").append(nameThenServer[i + 1])
                    .append("\n    insecure-skip-tls-verify: true\n");
            contexts.append("- name: ").append(name).append("\n  context:\n    cluster: ").append(name)
                    .append("\n    user: operator\n");
        }
        return write(dir.resolve("config"), "apiVersion: v1\nkind: Config\nclusters:\n" + clusters
                + "contexts:\n" + contexts + "current-context: " + nameThenServer[0]
                + "\nusers:\n- name: operator\n  user:\n    token: not-a-real-token\n");
    }

    /** A kubeconfig broken on line 4 the way a bad paste breaks it: a tab and an unclosed quote. */
    public static Path malformed(Path dir) {
        return write(dir.resolve("broken-config"), "apiVersion: v1\nkind: Config\nclusters:\n- name: \"prod\n\tcluster: {\n");
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
