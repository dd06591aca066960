package fleet.console.runbook;

import fleet.console.image.BuildProgress;
import fleet.console.image.BuildRequest;
import fleet.console.image.BuildResult;
import fleet.console.image.DeployedImage;
import fleet.console.image.ImageBuild;
import fleet.console.image.ImageBuildException;
import fleet.console.image.ImageBuilder;
import fleet.console.image.LayerProgress;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.ServiceSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runbook's {@code podman build} and {@code podman push} of a service, done in-process with Jib from
 * the service's build spec in the profile; the image the run deploys next is the one pushed and verified.
 */
final class ImageSteps {

    private ImageSteps() {
    }

    /** The image a run deploys for a service: {@code --tag}, else the profile's. */
    static String image(RunContext run, ServiceSpec s) {
        return s.image() + ":" + run.options().tag().orElse(s.tag());
    }

    static SimpleStep build(ServiceSpec s, RunContext plan) {
        String image = image(plan, s);
        return SimpleStep.of("build-" + s.name(), "Build and push " + image,
                "podman build and podman push of the runbook.",
                "Builds the image in-process with Jib from " + s.name() + "'s build spec (only changed layers are sent), pushes it and"
                        + " checks the registry resolves the tag to what was pushed.",
                List.of("podman build -f services/" + s.name() + "/Dockerfile -t " + image + " .", "podman push " + image),
                Duration.ofMinutes(15), r -> push(r, s))
                .skippedWhen(r -> r.options().skipBuild() ? Optional.of("--skip-build: deploying " + image + " as it is in the registry")
                        : Optional.empty());
    }

    /** kubectl set image to the run's tag: a new revision; the safe path around it is the caller's. */
    static SimpleStep setImage(ServiceSpec s, RunContext plan) {
        String image = image(plan, s);
        return SimpleStep.of("set-image-" + s.name(), "Set " + s.name() + "'s image to " + image,
                "kubectl set image, recorded in the rollout history with a change-cause.",
                "Changes the " + s.container() + " container's image; a new revision.",
                List.of("kubectl set image " + ServiceSteps.kubectlName(s) + " " + s.container() + "=" + image + " -n " + plan.namespace()),
                Duration.ofSeconds(15), r -> {
                    try {
                        ServiceSteps.actions(r).setImage(ServiceSteps.kind(s), s.name(), s.container(), image);
                    } catch (fleet.console.cluster.rollouts.RolloutProblem e) {
                        throw new StepFailure(e.getMessage(), e.whatToDo());
                    }
                });
    }

    private static void push(RunContext run, ServiceSpec s) throws StepFailure, InterruptedException {
        BuildSpec spec = s.build().orElseThrow(() -> new StepFailure("The profile has no build for " + s.name() + ".",
                "Add a build: section to " + s.name() + " in your profile (see the README's Service images), or run with --skip-build."));
        Path source = run.options().source().orElseThrow(() -> new StepFailure("No source folder to build " + s.name() + " from.",
                "Give the fleet's source checkout with --source DIR, or run with --skip-build."));
        if (!Files.isDirectory(source)) {
            throw new StepFailure("The source folder " + source + " does not exist.", "Give the fleet's source checkout with --source DIR.");
        }
        ImageBuilder builder = run.images().orElseThrow(() -> new StepFailure("This console was started without image builds.",
                "Run with --skip-build, or from the command line (scripts/fleet-console runbook ...), which builds."));
        String tag = run.options().tag().orElse(s.tag());
        BuildRequest request = BuildRequest.push(s.name(), spec, source, s.image(), tag);
        Optional<String> live = DeployedImage.read(run.client(), run.namespace(), s).flatMap(DeployedImage::tag);
        if (live.isPresent()) {
            request = request.withLiveTag(live.get());
        }
        ImageBuild build = builder.start(request, p -> report(run, p));
        run.cancellation().onCancel(build::cancel);
        BuildResult result;
        try {
            result = build.result().get(Math.max(1, run.timeLeft().toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            build.cancel();
            throw new StepFailure("Building " + request.image() + " took longer than the step allows.", "Resume to try again.");
        } catch (InterruptedException e) {
            build.cancel();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ImageBuildException failure) {
                throw new StepFailure(failure.getMessage(), failure.problem() == ImageBuildException.Problem.TAG_TAKEN
                        ? "Give a new tag with --tag (the runbook's vMAJOR.MINOR.PATCH-descriptor), or --skip-build to deploy it as it is."
                        : failure.problem().badInput() ? "Fix what the message names; nothing was pushed." : "Resume to try again.", failure);
            }
            throw new StepFailure("Building " + request.image() + " failed: " + e.getCause(), "Resume to try again.", e.getCause());
        }
        run.log("pushed " + result.image() + " " + result.digest() + " (" + result.layersPushed() + " of " + result.layers().size()
                + " layers sent, " + Backup.human(result.bytesPushed()) + ")");
        run.remember("image." + s.name(), result.pinned());
    }

    private static void report(RunContext run, BuildProgress p) {
        long sent = p.layers().stream().mapToLong(LayerProgress::bytesSent).sum();
        long total = p.layers().stream().filter(l -> !l.base()).mapToLong(LayerProgress::size).sum();
        run.progress(p.stage().name().toLowerCase() + (total > 0 ? " " + Backup.human(sent) + " of " + Backup.human(total) : ""));
    }
}
