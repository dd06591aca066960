package fleet.console.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.Ports;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.events.TimerEvent;
import fleet.console.audit.AuditEntry;
import fleet.console.audit.AuditJournal;
import fleet.console.image.BuildProgress.Stage;
import fleet.console.image.ImageBuildException.Problem;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.LayerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Builds service images with Jib and pushes them, without Docker or Podman: the runbook's
 * "podman build" and "podman push" in-process. Everything that can be checked before a byte is
 * sent is checked first (sources, references, registry, login, base image, tag), so that bad
 * input ends with its cause named and nothing pushed; after a push the registry is asked which
 * digest the tag resolves to. Configured once ({@link #builder()}), used for many builds.
 *
 * <p>Each build runs on a cached thread pool of its own, handed to Jib as well: a fixed pool
 * deadlocks Jib (its steps wait on one another's futures), and an own pool is what a cancel can
 * interrupt without touching anything else.
 */
public final class ImageBuilder {

    private static final Logger LOG = Logger.getLogger(ImageBuilder.class.getName());
    private static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMillis(250);
    private static final AtomicInteger BUILDS = new AtomicInteger();
    private static final long LAYER_CACHE_LIMIT = 2L * 1024 * 1024 * 1024;

    private final RegistryLogins logins;
    private final Set<String> insecureRegistries;
    private final Path cacheDirectory;
    private final Clock clock;
    private final Duration progressInterval;
    private final Optional<AuditJournal> journal;
    private final String auditContext;
    private final String auditNamespace;
    private final LayerIndex layerIndex;

    private ImageBuilder(Builder b) {
        this.logins = b.logins;
        this.insecureRegistries = Set.copyOf(b.insecureRegistries);
        this.cacheDirectory = Objects.requireNonNull(b.cacheDirectory, "a cache directory is required");
        this.clock = b.clock;
        this.progressInterval = b.progressInterval;
        this.journal = Optional.ofNullable(b.journal);
        this.auditContext = b.auditContext;
        this.auditNamespace = b.auditNamespace;
        this.layerIndex = new LayerIndex(cacheDirectory.resolve("layer-index.txt"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code $XDG_CACHE_HOME/fleet-console/images}, else {@code ~/.cache/fleet-console/images}: base layers pulled once. */
    public static Path defaultCacheDirectory(Map<String, String> env, Path home) {
        String cache = env.get("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : home.resolve(".cache");
        return base.resolve("fleet-console").resolve("images");
    }

    /** How builds log in, where they cache, whom they tell. */
    public static final class Builder {
        private RegistryLogins logins = RegistryLogins.none();
        private Collection<String> insecureRegistries = List.of();
        private Path cacheDirectory;
        private Clock clock = Clock.systemUTC();
        private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
        private AuditJournal journal;
        private String auditContext = "";
        private String auditNamespace = "";

        private Builder() {
        }

        public Builder logins(RegistryLogins value) {
            this.logins = Objects.requireNonNull(value);
            return this;
        }

        /** Registries (host[:port]) reached over plain HTTP or an unverified certificate: the profile's insecure one. */
        public Builder insecureRegistries(Collection<String> hosts) {
            this.insecureRegistries = List.copyOf(hosts);
            return this;
        }

        /** Where base-image layers are kept between builds (and each build's scratch space). */
        public Builder cacheDirectory(Path value) {
            this.cacheDirectory = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** The least time between two progress updates (default 250 ms: four a second). */
        public Builder progressInterval(Duration value) {
            this.progressInterval = Objects.requireNonNull(value);
            return this;
        }

        /** Records every push, with its tag and digest, as done on {@code context}/{@code namespace}. */
        public Builder journal(AuditJournal value, String context, String namespace) {
            this.journal = Objects.requireNonNull(value);
            this.auditContext = Objects.requireNonNull(context);
            this.auditNamespace = Objects.requireNonNull(namespace);
            return this;
        }

        public ImageBuilder build() {
            return new ImageBuilder(this);
        }
    }

    /** Starts a build on threads of its own; progress goes to the listener, one call at a time. */
    public ImageBuild start(BuildRequest request, Consumer<BuildProgress> listener) {
        int number = BUILDS.incrementAndGet();
        ExecutorService threads = Executors.newCachedThreadPool(daemonThreads("image-build-" + number + "-"));
        ImageBuild build = new ImageBuild(threads);
        try {
            threads.execute(() -> {
                try {
                    build.complete(run(request, listener, build, threads));
                } catch (ImageBuildException e) {
                    build.fail(e);
                } catch (RuntimeException | Error e) {
                    build.fail(new ImageBuildException(Problem.PUSH_FAILED, "The build of " + request.image()
                            + " failed: " + e, e));
                } finally {
                    threads.shutdown();
                }
            });
        } catch (RejectedExecutionException e) {
            build.fail(new ImageBuildException(Problem.CANCELLED, "The build of " + request.image() + " was cancelled"));
        }
        return build;
    }

    /** Builds and waits; an interrupt cancels the build. */
    public BuildResult build(BuildRequest request, Consumer<BuildProgress> listener)
            throws ImageBuildException, InterruptedException {
        ImageBuild build = start(request, listener);
        try {
            return build.result().get();
        } catch (InterruptedException e) {
            build.cancel();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ImageBuildException failure) {
                throw failure;
            }
            throw new ImageBuildException(Problem.PUSH_FAILED, "The build of " + request.image() + " failed: "
                    + e.getCause(), e.getCause());
        }
    }

    private BuildResult run(BuildRequest request, Consumer<BuildProgress> listener, ImageBuild build,
                            ExecutorService threads) throws ImageBuildException {
        Instant started = clock.instant();
        BuildSpec spec = request.spec();
        ProgressThrottle throttle = new ProgressThrottle(listener, clock, progressInterval);
        JibProgress progress = new JibProgress(spec.layers().stream().map(LayerSpec::name).toList(), throttle, clock);
        progress.stage(Stage.PREPARING);

        ImageReference target = target(request);
        Optional<ImageReference> base = base(spec, request.service());
        List<LayerFiles.Resolved> layers = new ArrayList<>();
        for (LayerSpec layer : spec.layers()) {
            layers.add(LayerFiles.resolve(layer, request.sourceRoot(), request.service()));
        }

        progress.stage(Stage.CHECKING);
        Optional<RegistryLogin> targetLogin = logins.find(target.getRegistry(), target.getRepository());
        RegistryApi targetApi = new RegistryApi(target.getRegistry(), insecure(target.getRegistry()), targetLogin);
        if (request.push()) {
            targetApi.checkAccess(target.getRepository(), true);
        }
        Optional<RegistryLogin> baseLogin = Optional.empty();
        if (base.isPresent()) {
            ImageReference b = base.get();
            baseLogin = logins.find(b.getRegistry(), b.getRepository());
            RegistryApi baseApi = b.getRegistry().equals(target.getRegistry()) && baseLogin.equals(targetLogin) ? targetApi
                    : new RegistryApi(b.getRegistry(), insecure(b.getRegistry()), baseLogin);
            if (baseApi.manifestDigest(b.getRepository(), b.getQualifier()).isEmpty()) {
                throw new ImageBuildException(Problem.BASE_IMAGE_MISSING, "The base image " + spec.base() + " of "
                        + request.service() + " is not in " + b.getRegistry() + ": build it (the service's Dockerfile"
                        + " steps that Jib cannot run: pip install, protoc...) and push it with your usual tools, or fix"
                        + " build.base in the profile. Nothing was pushed.");
            }
        }
        if (request.push()) {
            refuseUnconfirmedOverwrite(request, targetApi.manifestDigest(target.getRepository(), request.tag()));
        }

        progress.stage(Stage.BUILDING);
        if (build.cancelled()) {
            throw cancelled(request);
        }
        Path layerCache = applicationLayerCache();
        Map<String, String> keys = new HashMap<>();
        for (LayerFiles.Resolved layer : layers) {
            String key = LayerIndex.key(layer.layer());
            keys.put(layer.name(), key);
            layerIndex.find(key).ifPresent(known -> progress.packedEarlier(layer.name(), known.digest(), known.size()));
        }
        Path scratch = scratchDirectory();
        JibContainer container;
        try {
            JibContainerBuilder jib = configure(base, baseLogin, spec, layers);
            Containerizer containerizer;
            if (request.push()) {
                containerizer = Containerizer.to(RegistryImage.named(target).addCredentialRetriever(retriever(targetLogin)));
            } else {
                Path tarball = request.tarball().orElse(scratch.resolve("image.tar"));
                containerizer = Containerizer.to(TarImage.at(tarball).named(target));
            }
            containerizer.setExecutorService(threads)
                    .setAllowInsecureRegistries(insecure(target.getRegistry())
                            || base.map(b -> insecure(b.getRegistry())).orElse(false))
                    .setBaseImageLayersCache(cacheDirectory.resolve("base-layers"))
                    // Kept between builds: an unchanged folder is not packed again. The registry, not this
                    // cache, decides what is sent.
                    .setApplicationLayersCache(layerCache)
                    .setToolName("fleet-console")
                    .addEventHandler(LogEvent.class, progress::log)
                    .addEventHandler(ProgressEvent.class, progress::progress)
                    .addEventHandler(TimerEvent.class, progress::timer);
            container = jib.containerize(containerizer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedPush(request, cancelled(request));
        } catch (ExecutionException | RegistryException | IOException | RuntimeException e) {
            ImageBuildException failure = build.cancelled() ? cancelled(request) : jibFailure(e, request, spec);
            throw failedPush(request, failure);
        } catch (CacheDirectoryCreationException e) {
            throw failedPush(request, new ImageBuildException(Problem.PUSH_FAILED, "Jib cannot create its cache"
                    + " in " + cacheDirectory + " (" + e.getMessage() + "): check that it is writable", e));
        } finally {
            throttle.flush();
            deleteQuietly(scratch);
        }
        Map<String, LayerIndex.Packed> learned = new HashMap<>();
        for (LayerProgress layer : progress.layers()) {
            if (keys.containsKey(layer.name()) && !layer.digest().isEmpty() && layer.size() > 0) {
                learned.put(keys.get(layer.name()), new LayerIndex.Packed(layer.digest(), layer.size()));
            }
        }
        layerIndex.remember(learned);
        String digest = container.getDigest().toString();
        boolean verified = false;
        if (request.push()) {
            progress.stage(Stage.VERIFYING);
            Optional<String> resolved = targetApi.manifestDigest(target.getRepository(), request.tag());
            if (resolved.isEmpty() || !resolved.get().equals(digest)) {
                ImageBuildException mismatch = new ImageBuildException(Problem.VERIFY_FAILED, "Pushed " + request.image()
                        + " as " + digest + ", but the registry now resolves the tag to "
                        + resolved.orElse("nothing") + ": another push may have replaced it; check with"
                        + " fleet-console image build again or the registry's UI before deploying");
                audit(request, "push not verified: tag resolves to " + resolved.orElse("nothing") + ", pushed " + digest);
                throw mismatch;
            }
            verified = true;
        }
        progress.stage(Stage.DONE);
        BuildResult result = new BuildResult(target.getRegistry() + "/" + target.getRepository(), request.tag(), digest,
                container.getImageId().toString(), request.push(), verified, progress.layers(), progress.bytesPushed(),
                Duration.between(started, clock.instant()), request.push() ? Optional.empty() : request.tarball());
        if (request.push()) {
            audit(request, "ok " + digest + " (verified; " + result.layersPushed() + " layers, " + result.bytesPushed()
                    + " bytes pushed)");
        }
        return result;
    }

    private ImageReference target(BuildRequest request) throws ImageBuildException {
        if (!ImageReference.isValidTag(request.tag())) {
            throw new ImageBuildException(Problem.INVALID_REFERENCE, ImageTag.problemWith(request.tag())
                    .orElse("\"" + request.tag() + "\" is not a valid image tag") + ". Nothing was pushed.");
        }
        try {
            ImageReference reference = ImageReference.parse(request.repository() + ":" + request.tag());
            if (reference.getDigest().isPresent()) {
                throw new InvalidImageReferenceException(request.repository());
            }
            return reference;
        } catch (InvalidImageReferenceException e) {
            throw new ImageBuildException(Problem.INVALID_REFERENCE, "\"" + request.image() + "\" is not a valid image"
                    + " reference: the repository is host/path in lower case (e.g. registry.example.com/swe-ai-fleet/"
                    + request.service() + ") and the tag letters, digits, '_', '.' and '-'. Nothing was pushed.", e);
        }
    }

    private static Optional<ImageReference> base(BuildSpec spec, String service) throws ImageBuildException {
        if (spec.fromScratch()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ImageReference.parse(spec.base()));
        } catch (InvalidImageReferenceException e) {
            throw new ImageBuildException(Problem.INVALID_REFERENCE, "The base image \"" + spec.base() + "\" of " + service
                    + " is not a valid image reference: write host/path:tag, e.g. registry.example.com/swe-ai-fleet/"
                    + service + "-base:v1.0.0. Nothing was pushed.", e);
        }
    }

    private static void refuseUnconfirmedOverwrite(BuildRequest request, Optional<String> existing) throws ImageBuildException {
        if (request.overwriteConfirmed()) {
            return;
        }
        boolean live = request.liveTag().map(request.tag()::equals).orElse(false);
        if (live) {
            throw new ImageBuildException(Problem.TAG_TAKEN, request.tag() + " is the tag " + request.service() + " runs now"
                    + existing.map(d -> " (" + d + " in the registry)").orElse("") + ": pushing it again would change"
                    + " what its pods pull when they restart, without a rollout to show or undo it. Push a new tag"
                    + " (--bump patch), or confirm with --overwrite-live. Nothing was pushed.");
        }
        if (existing.isPresent()) {
            throw new ImageBuildException(Problem.TAG_TAKEN, request.image() + " is already in the registry ("
                    + existing.get() + ")" + (request.liveTag().isEmpty() ? " and the console could not check whether a"
                    + " cluster runs it" : "") + ": an old revision's rollback would pull the new image instead. Push a"
                    + " new tag (--bump patch), or confirm with --overwrite-live. Nothing was pushed.");
        }
    }

    private JibContainerBuilder configure(Optional<ImageReference> base, Optional<RegistryLogin> baseLogin,
                                          BuildSpec spec, List<LayerFiles.Resolved> layers) {
        JibContainerBuilder jib = base.isEmpty() ? Jib.fromScratch()
                : Jib.from(RegistryImage.named(base.get()).addCredentialRetriever(retriever(baseLogin)));
        String[] platform = spec.platform().split("/");
        jib.setPlatforms(Set.of(new Platform(platform[1], platform[0])));
        spec.workdir().ifPresent(dir -> jib.setWorkingDirectory(AbsoluteUnixPath.get(dir)));
        spec.user().ifPresent(jib::setUser);
        spec.env().forEach(jib::addEnvironmentVariable);
        spec.labels().forEach(jib::addLabel);
        if (!spec.ports().isEmpty()) {
            jib.setExposedPorts(Ports.parse(spec.ports()));
        }
        spec.entrypoint().ifPresent(jib::setEntrypoint);
        spec.cmd().ifPresent(jib::setProgramArguments);
        for (LayerFiles.Resolved layer : layers) {
            jib.addFileEntriesLayer(layer.layer());
        }
        return jib;
    }

    /** Hands Jib the login we found; Jib sends it only where the registry asks, and never over plain HTTP. */
    private static CredentialRetriever retriever(Optional<RegistryLogin> login) {
        return () -> login.map(l -> Credential.from(l.username(), l.secret()));
    }

    private boolean insecure(String registry) {
        return insecureRegistries.contains(registry);
    }

    private ImageBuildException failedPush(BuildRequest request, ImageBuildException failure) {
        if (request.push()) {
            audit(request, failure.problem() == Problem.CANCELLED ? "cancelled" : "failed: " + failure.getMessage());
        }
        return failure;
    }

    private ImageBuildException jibFailure(Exception e, BuildRequest request, BuildSpec spec) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnauthorizedException unauthorized) {
                String image = unauthorized.getImageReference();
                return new ImageBuildException(Problem.LOGIN_REFUSED, "The registry refused access to " + image
                        + ": log in again with podman login " + image.split("/")[0] + ". The tag was not pushed.", e);
            }
            if (t instanceof com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException) {
                return new ImageBuildException(Problem.REGISTRY_INSECURE, "The registry asks for a login over plain HTTP,"
                        + " and Jib does not send passwords unencrypted: serve the registry over HTTPS (a self-signed"
                        + " certificate is fine with insecure: true). The tag was not pushed.", e);
            }
            if (t instanceof InsecureRegistryException) {
                return new ImageBuildException(Problem.REGISTRY_INSECURE, t.getMessage() + ": set insecure: true under the"
                        + " profile's registry if it is a lab registry. The tag was not pushed.", e);
            }
            if (t instanceof UnknownHostException || t instanceof ConnectException) {
                return new ImageBuildException(Problem.REGISTRY_UNREACHABLE, "A registry stopped answering during the"
                        + " build (" + t + "): check the network and try again. The tag was not pushed.", e);
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof RegistryException && message.contains("manifest") && message.contains("unknown")
                    && !spec.fromScratch()) {
                return new ImageBuildException(Problem.BASE_IMAGE_MISSING, "The base image " + spec.base()
                        + " disappeared from its registry during the build: push it again. The tag was not pushed.", e);
            }
        }
        return new ImageBuildException(Problem.PUSH_FAILED, "The build of " + request.image() + " failed: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                + ". The tag was not pushed.", e);
    }

    private static ImageBuildException cancelled(BuildRequest request) {
        return new ImageBuildException(Problem.CANCELLED, "The build of " + request.image() + " was cancelled; the tag"
                + " was not pushed (layers already sent stay in the registry, untagged, and the next build reuses them).");
    }

    private void audit(BuildRequest request, String result) {
        journal.ifPresent(j -> {
            try {
                j.append(new AuditEntry(clock.instant(), auditContext, auditNamespace, "image push", request.image(), result));
            } catch (UncheckedIOException e) {
                LOG.log(Level.WARNING, "could not record the push of " + request.image() + " in the audit journal", e);
            }
        });
    }

    private Path scratchDirectory() throws ImageBuildException {
        try {
            Files.createDirectories(cacheDirectory);
            return Files.createTempDirectory(cacheDirectory, "build-");
        } catch (IOException e) {
            throw new ImageBuildException(Problem.PUSH_FAILED, "Cannot create the build's scratch folder in "
                    + cacheDirectory + " (" + e.getMessage() + "): check that it is writable", e);
        }
    }

    /**
     * Jib's cache of packed layers. It only saves packing time and Jib never trims it, so one that
     * has grown past {@link #LAYER_CACHE_LIMIT} (every changed layer of every build adds to it) is
     * emptied first.
     */
    private Path applicationLayerCache() {
        Path cache = cacheDirectory.resolve("application-layers");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> files = Files.walk(cache)) {
                long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                if (bytes > LAYER_CACHE_LIMIT) {
                    deleteQuietly(cache);
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.log(Level.FINE, "could not measure the layer cache " + cache, e);
            }
        }
        return cache;
    }

    /** Removes a folder and what it holds (a build's scratch folder, an outgrown cache). */
    private static void deleteQuietly(Path scratch) {
        try (Stream<Path> paths = Files.walk(scratch)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not remove the build's scratch folder " + scratch, e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
