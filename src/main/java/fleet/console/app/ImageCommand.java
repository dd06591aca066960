package fleet.console.app;

import fleet.console.audit.AuditJournal;
import fleet.console.cluster.ClusterSession;
import fleet.console.image.BuildProgress;
import fleet.console.image.BuildRequest;
import fleet.console.image.BuildResult;
import fleet.console.image.DeployedImage;
import fleet.console.image.DockerfileImport;
import fleet.console.image.ImageBuildException;
import fleet.console.image.ImageBuilder;
import fleet.console.image.ImageTag;
import fleet.console.image.LayerProgress;
import fleet.console.image.LayerState;
import fleet.console.image.RegistryLogins;
import fleet.console.image.TagBump;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.BuildSpecYaml;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.LayerSpec;
import fleet.console.profile.ServiceSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code image build} and {@code image import-dockerfile}: the runbook's podman build and podman
 * push, done in-process with Jib, and the way from a service's Dockerfile to its build spec.
 */
@Command(name = "image", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build and push service images without Docker or Podman (Jib), and import Dockerfiles into build specs.",
                "Jib cannot run RUN steps: a service's base image carries its dependencies, the console adds its code."},
        subcommands = {ImageCommand.Build.class, ImageCommand.ImportDockerfile.class})
final class ImageCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("fleet-console: image needs a command: build or import-dockerfile.");
        spec.commandLine().usage(err);
        return Cli.CANNOT;
    }

    /**
     * The image builder every command uses: the user's podman/Docker logins (or one auth file), the
     * profile's insecure registry if it says so, Jib's cache, pushes journaled.
     */
    static ImageBuilder standardBuilder(FleetProfile profile, String context, String namespace, Path authfile, Path cacheDir, Path auditFile) {
        Map<String, String> env = System.getenv();
        Path home = Path.of(System.getProperty("user.home"));
        RegistryLogins logins = authfile != null ? RegistryLogins.file(authfile, env) : RegistryLogins.standard(env, home);
        Path journal = auditFile != null ? auditFile : AuditJournal.defaultFile(env, home);
        return ImageBuilder.builder()
                .logins(logins)
                .insecureRegistries(profile.registry().insecure() ? Set.of(profile.registry().host()) : Set.of())
                .cacheDirectory(cacheDir != null ? cacheDir : ImageBuilder.defaultCacheDirectory(env, home))
                .journal(new AuditJournal(journal), context, namespace)
                .build();
    }

    @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Build SERVICE's image from its build spec in the profile (or --dockerfile) and push it to the",
                    "service's image repository with the tag given, or bumped from the tag deployed now (read from the",
                    "cluster, or --deployed-tag). A tag that is live, or already in the registry, is not overwritten",
                    "without --overwrite-live. After the push the registry is asked which digest the tag resolves to.",
                    "Logins come from podman's and Docker's auth files and credential helpers (podman login).",
                    "Exit 0 pushed and verified (or built), 1 the push failed, 2 bad input or unreachable registry or cluster."})
    static final class Build implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "A service of the profile (orchestrator, context...).")
        String service;

        @Option(names = "--tag", paramLabel = "TAG", description = "The tag to push: vMAJOR.MINOR.PATCH-descriptor (default: the profile's tag).")
        String tag;

        @Option(names = "--bump", paramLabel = "PART", description = "Raise the deployed tag: patch (a fix), minor (a compatible feature) or major (a breaking change).")
        String bump;

        @Option(names = "--descriptor", paramLabel = "TEXT", description = "With --bump: the -descriptor of the new tag (v3.0.1-TEXT).")
        String descriptor;

        @Option(names = "--deployed-tag", paramLabel = "TAG", description = "The tag running now, instead of asking the cluster.")
        String deployedTag;

        @Option(names = "--overwrite-live", description = "Confirm pushing a tag that is live or already in the registry.")
        boolean overwriteLive;

        @Option(names = "--no-push", description = "Build only (into a tarball, see --output); the registry is not changed.")
        boolean noPush;

        @Option(names = "--output", paramLabel = "TAR", description = "With --no-push: where to write the image tarball (podman load -i TAR).")
        Path output;

        // Not --context: that is the kubeconfig context of every cluster command (TargetOptions).
        @Option(names = "--source", paramLabel = "DIR", description = "The build context: the checkout of the service's repository the layers' from paths are relative to (default: the current folder).")
        Path source = Path.of(".");

        @Option(names = "--dockerfile", paramLabel = "FILE", description = "Build from a Dockerfile instead of the profile's spec (refused if it holds RUN or other steps Jib cannot do).")
        Path dockerfile;

        @Option(names = "--authfile", paramLabel = "FILE", description = "Registry logins from this auth file only (default: podman's, then Docker's).")
        Path authfile;

        @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where base-image layers are kept between builds (default: ~/.cache/fleet-console/images).")
        Path cacheDir;

        @Option(names = "--audit-file", paramLabel = "FILE", description = "The audit journal pushes are recorded in (default: ~/.local/state/fleet-console/audit.jsonl).")
        Path auditFile;

        @Mixin
        TargetOptions target = new TargetOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            if (!noPush && Cli.refusedReadOnly(target.readOnly, "pushing an image", err)) {
                return Cli.CANNOT;
            }
            String problem = optionProblem();
            if (problem != null) {
                err.println("fleet-console: " + problem);
                return Cli.CANNOT;
            }
            FleetProfile profile = target.fleet.loadProfileOrSay(err);
            if (profile == null) {
                return Cli.CANNOT;
            }
            Optional<ServiceSpec> found = profile.service(service);
            if (found.isEmpty()) {
                err.println("fleet-console: there is no service \"" + service + "\" in the profile" + closest(profile)
                        + ". Its services: " + String.join(", ", profile.services().stream().map(ServiceSpec::name).toList()) + ".");
                return Cli.CANNOT;
            }
            BuildSpec buildSpec;
            try {
                buildSpec = buildSpec(found.get());
            } catch (ImageBuildException e) {
                err.println("fleet-console: " + e.getMessage());
                return Cli.CANNOT;
            }
            if (buildSpec == null) {
                return Cli.CANNOT;
            }
            boolean askCluster = deployedTag == null && (bump != null || !noPush);
            if (askCluster) {
                boolean[] connected = {false};
                int exit = target.run("image build", err, (session, onTarget) -> {
                    connected[0] = true;
                    return build(onTarget, found.get(), buildSpec, Optional.of(session));
                });
                if (!connected[0] && exit == Cli.CANNOT) {
                    err.println("The cluster is asked for the tag running now (to bump it, and never to overwrite it"
                            + " unconfirmed). To build without a cluster, give it: --deployed-tag vX.Y.Z.");
                }
                return exit;
            }
            return build(profile, found.get(), buildSpec, Optional.empty());
        }

        /** Options that contradict one another, said before anything is read. */
        private String optionProblem() {
            if (tag != null && bump != null) {
                return "give either --tag (the exact tag) or --bump (raise the deployed tag), not both.";
            }
            if (descriptor != null && bump == null) {
                return "--descriptor goes with --bump; with --tag, write the whole tag (v3.0.1-" + descriptor + ").";
            }
            if (output != null && !noPush) {
                return "--output writes a tarball instead of pushing: add --no-push.";
            }
            if (bump != null) {
                try {
                    TagBump.parse(bump);
                } catch (IllegalArgumentException e) {
                    return "--bump " + e.getMessage() + ".";
                }
            }
            if (tag != null) {
                Optional<String> wrong = ImageTag.problemWith(tag);
                if (wrong.isPresent()) {
                    return "--tag " + wrong.get() + ".";
                }
            }
            return null;
        }

        private BuildSpec buildSpec(ServiceSpec svc) throws ImageBuildException {
            PrintWriter err = spec.commandLine().getErr();
            if (dockerfile != null) {
                try {
                    return DockerfileImport.read(dockerfile).requireComplete();
                } catch (NoSuchFileException e) {
                    err.println("fleet-console: " + dockerfile + " does not exist: give the path of the service's Dockerfile.");
                    return null;
                } catch (IOException e) {
                    err.println("fleet-console: cannot read " + dockerfile + " (" + e.getMessage() + ").");
                    return null;
                }
            }
            if (svc.build().isEmpty()) {
                err.println("fleet-console: service \"" + svc.name() + "\" has no build spec in the profile: the console"
                        + " builds only images it is told how to build. Add build: to it in your profile (every field is"
                        + " described in the built-in default-profile.yaml), or start from its Dockerfile:"
                        + " fleet-console image import-dockerfile services/" + svc.name() + "/Dockerfile");
                return null;
            }
            return svc.build().get();
        }

        private int build(FleetProfile profile, ServiceSpec svc, BuildSpec buildSpec, Optional<ClusterSession> session)
                throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<String> live = Optional.ofNullable(deployedTag);
            if (session.isPresent()) {
                Optional<DeployedImage> deployed = DeployedImage.read(session.get().client(), session.get().namespace(), svc);
                if (deployed.isPresent()) {
                    live = deployed.get().tag();
                    out.println(svc.name() + " runs " + deployed.get().image() + " on " + session.get().label() + ".");
                    if (!deployed.get().repository().equals(svc.image())) {
                        out.println("Note: it runs from " + deployed.get().repository() + ", while the profile pushes to "
                                + svc.image() + "; a redeploy of this build switches repositories.");
                    }
                } else {
                    out.println("No " + svc.kind().name().toLowerCase(Locale.ROOT) + " " + svc.name() + " (container "
                            + svc.container() + ") on " + session.get().label() + ": no tag is live there.");
                }
            }
            String chosen;
            if (tag != null) {
                chosen = tag;
            } else if (bump != null) {
                if (live.isEmpty()) {
                    err.println("fleet-console: --bump raises the tag deployed now, and none is known: give --deployed-tag"
                            + " vX.Y.Z, or --tag with the tag to push.");
                    return Cli.CANNOT;
                }
                Optional<ImageTag> current = ImageTag.parse(live.get());
                if (current.isEmpty()) {
                    err.println("fleet-console: the deployed tag \"" + live.get() + "\" does not follow vMAJOR.MINOR.PATCH,"
                            + " so it cannot be bumped: give the tag to push with --tag (e.g. v1.0.0).");
                    return Cli.CANNOT;
                }
                ImageTag next = current.get().bump(TagBump.parse(bump));
                if (descriptor != null) {
                    try {
                        next = next.withDescriptor(descriptor);
                    } catch (IllegalArgumentException e) {
                        err.println("fleet-console: --descriptor: " + e.getMessage() + ".");
                        return Cli.CANNOT;
                    }
                }
                chosen = next.toString();
                out.println("Tag " + chosen + " (" + TagBump.parse(bump).word() + " bump of " + live.get() + ").");
            } else {
                chosen = svc.tag();
            }

            ImageBuilder builder = builder(profile, session);
            BuildRequest request = BuildRequest.push(svc.name(), buildSpec, source, svc.image(), chosen)
                    .withOverwriteConfirmed(overwriteLive);
            if (live.isPresent()) {
                request = request.withLiveTag(live.get());
            }
            if (noPush) {
                request = request.withoutPush(Optional.ofNullable(output));
            }
            out.println((noPush ? "Building " : "Building and pushing ") + request.image() + " from " + source.toAbsolutePath()
                    .normalize() + " on " + (buildSpec.fromScratch() ? "no base (scratch)" : buildSpec.base()) + ".");
            out.flush();
            ProgressLines lines = new ProgressLines(out);
            BuildResult result;
            try {
                result = builder.build(request, lines::update);
            } catch (ImageBuildException e) {
                err.println("fleet-console: " + e.getMessage());
                return e.problem().badInput() ? Cli.CANNOT : Cli.UNHEALTHY;
            }
            print(out, result);
            return Cli.OK;
        }

        private ImageBuilder builder(FleetProfile profile, Optional<ClusterSession> session) {
            return standardBuilder(profile, session.map(ClusterSession::contextName).orElse("no cluster"),
                    session.map(ClusterSession::namespace).orElse(profile.namespace()), authfile, cacheDir, auditFile);
        }

        private static void print(PrintWriter out, BuildResult result) {
            out.println((result.pushed() ? "Pushed " : "Built ") + result.image());
            out.println("  digest   " + result.digest());
            if (result.pushed()) {
                out.println("  pinned   " + result.pinned());
                out.println("  verified the registry resolves " + result.tag() + " to this digest");
            }
            result.tarball().ifPresent(t -> out.println("  tarball  " + t + " (podman load -i " + t + ")"));
            for (LayerProgress layer : result.layers()) {
                out.printf("  %-22s %10s  %s%n", layer.name(), size(layer.size()), layer.state().words());
            }
            out.printf("%d layer%s pushed, %s sent in %.1f s.%n", result.layersPushed(), result.layersPushed() == 1 ? "" : "s",
                    size(result.bytesPushed()), result.took().toMillis() / 1000.0);
            out.flush();
        }

        private String closest(FleetProfile profile) {
            return profile.services().stream().map(ServiceSpec::name)
                    .filter(name -> name.startsWith(service) || service.startsWith(name)
                            || Cli.LogsCommand.closestPods(service, List.of(name)).contains(name))
                    .findFirst().map(name -> " (did you mean " + name + "?)").orElse("");
        }
    }

    /** One line each time a layer reaches a new state: a terminal shows what happens without a flood. */
    private static final class ProgressLines {
        private final PrintWriter out;
        private final Map<String, LayerState> shown = new HashMap<>();
        private BuildProgress.Stage stage;

        ProgressLines(PrintWriter out) {
            this.out = out;
        }

        synchronized void update(BuildProgress progress) {
            if (progress.stage() != stage) {
                stage = progress.stage();
                switch (stage) {
                    case CHECKING -> out.println("Checking the registry, the login, the base image and the tag...");
                    case BUILDING -> out.println("Packing layers and sending what the registry lacks...");
                    case VERIFYING -> out.println("Asking the registry which digest the tag resolves to...");
                    default -> { }
                }
            }
            for (LayerProgress layer : progress.layers()) {
                if (layer.state().done() && shown.put(layer.name(), layer.state()) != layer.state()) {
                    out.printf("  %-22s %10s  %s%n", layer.name(), size(layer.size()), layer.state().words());
                }
            }
            out.flush();
        }
    }

    @Command(name = "import-dockerfile", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Read a service's Dockerfile into a build spec for the profile, printed as profile text (add it to",
                    "~/.config/fleet-console/profile.yaml). FROM, COPY/ADD of local files, ENV, WORKDIR, USER, EXPOSE, LABEL,",
                    "ENTRYPOINT and CMD are carried over; every RUN (pip install, protoc...) and other instruction Jib cannot",
                    "do is listed with its line: the base image must do that work.",
                    "Exit 0 all carried over, 1 some instructions were not (the spec is printed anyway), 2 the file cannot be read."})
    static final class ImportDockerfile implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The Dockerfile, e.g. services/orchestrator/Dockerfile.")
        Path file;

        @Option(names = "--service", paramLabel = "NAME", description = "The service it builds (default: the Dockerfile's folder, services/ray_executor -> ray-executor).")
        String service;

        @Option(names = "--profile", paramLabel = "FILE", description = "Fleet profile whose layers the import replaces (default: ~/.config/fleet-console/profile.yaml if present, else built in).")
        Path profile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DockerfileImport imported;
            try {
                imported = DockerfileImport.read(file);
            } catch (NoSuchFileException e) {
                err.println("fleet-console: " + file + " does not exist: give the path of the service's Dockerfile.");
                return Cli.CANNOT;
            } catch (CharacterCodingException e) {
                err.println("fleet-console: " + file + " is not UTF-8 text: is it a Dockerfile?");
                return Cli.CANNOT;
            } catch (IOException e) {
                err.println("fleet-console: cannot read " + file + " (" + e.getMessage() + ").");
                return Cli.CANNOT;
            }
            for (DockerfileImport.Finding finding : imported.findings()) {
                err.println(finding.render(file.toString()));
            }
            if (imported.spec().isEmpty()) {
                err.println("fleet-console: no build spec can be made from " + file + ".");
                return Cli.CANNOT;
            }
            Cli.FleetOptions fleet = new Cli.FleetOptions();
            fleet.profile = profile;
            FleetProfile current = fleet.loadProfileOrSay(err);
            if (current == null) {
                return Cli.CANNOT;
            }
            String name = service != null ? service : DockerfileImport.serviceNameFor(file);
            List<String> profileLayers = current.service(name).flatMap(ServiceSpec::build)
                    .map(b -> b.layers().stream().map(LayerSpec::name).toList()).orElse(List.of());
            int unsupported = imported.unsupported().size();
            out.println("# Build spec of " + name + ", imported from " + file + " by fleet-console image import-dockerfile.");
            if (unsupported > 0) {
                out.println("# " + unsupported + " instruction" + (unsupported == 1 ? " was" : "s were") + " not carried over"
                        + " (listed with their lines): the base image must do what they did.");
            }
            if (current.service(name).isEmpty()) {
                out.println("# " + name + " is not in the profile yet: give it image:, tag: and natsConsumers: as well.");
            }
            out.print(BuildSpecYaml.service(name, imported.spec().get(), profileLayers));
            out.flush();
            err.flush();
            return unsupported == 0 ? Cli.OK : Cli.UNHEALTHY;
        }
    }

    /** Sizes as a terminal shows them: 512 B, 4.1 kB, 12.3 MB. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1000.0);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1_000_000_000.0);
    }
}
