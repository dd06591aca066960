package fleet.console.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fleet.console.image.DockerfileImport.Finding;
import fleet.console.profile.BuildSpec;
import fleet.console.profile.BuildSpecYaml;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.LayerSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A service Dockerfile the way the fleet writes them (dependencies with RUN pip install, gRPC
 * code with RUN protoc, a user made with RUN useradd) read into a spec: what Jib can express is
 * carried over, every RUN is reported at its line with the advice to move it into the base image.
 */
class DockerfileImportTest {

    static final String ORCHESTRATOR = """
            # syntax=docker/dockerfile:1
            FROM python:3.13-slim AS runtime

            WORKDIR /app

            # Dependencies first: they change less often than the code.
            COPY services/orchestrator/requirements.txt /app/requirements.txt
            RUN --mount=type=cache,target=/root/.cache/pip \\
                pip install --no-cache-dir -r requirements.txt

            COPY specs/fleet/orchestrator/v1/orchestrator.proto /app/specs/orchestrator.proto
            RUN mkdir -p /app/services/orchestrator/gen && \\
                # generate next to the service
                python -m grpc_tools.protoc --proto_path=/app/specs \\
                --python_out=/app/services/orchestrator/gen orchestrator.proto

            COPY src/ /app/src/
            COPY services/orchestrator/*.py /app/services/orchestrator/
            COPY services/orchestrator/consumers/ services/orchestrator/consumers/

            RUN useradd -r -u 1000 appuser && chown -R appuser /app
            ENV PYTHONPATH=/app/src:/app \\
                PYTHONUNBUFFERED=1
            USER appuser
            EXPOSE 50055
            LABEL org.opencontainers.image.title="orchestrator" team=platform
            HEALTHCHECK --interval=30s CMD python -c "import grpc" || exit 1
            CMD ["python", "services/orchestrator/server.py"]
            """;

    private static Finding at(DockerfileImport result, int line, String instruction) {
        return result.findings().stream().filter(f -> f.line() == line && f.instruction().equals(instruction)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + instruction + " finding at line " + line + " in "
                        + result.findings()));
    }

    @Test
    void theInstructionsJibCanExpressBecomeTheSpec() {
        BuildSpec spec = DockerfileImport.parse(ORCHESTRATOR, "Dockerfile").spec().orElseThrow();

        assertEquals("python:3.13-slim", spec.base());
        assertEquals(Optional.of("/app"), spec.workdir());
        assertEquals(Optional.of("appuser"), spec.user());
        assertEquals(Map.of("PYTHONPATH", "/app/src:/app", "PYTHONUNBUFFERED", "1"), spec.env());
        assertEquals(List.of("50055"), spec.ports());
        assertEquals(Map.of("org.opencontainers.image.title", "orchestrator", "team", "platform"), spec.labels());
        assertEquals(Optional.of(List.of("python", "services/orchestrator/server.py")), spec.cmd());
        assertEquals(Optional.empty(), spec.entrypoint());
        assertEquals(List.of(
                new LayerSpec("requirements-txt", List.of("services/orchestrator/requirements.txt"), "/app/requirements.txt", List.of()),
                new LayerSpec("orchestrator-proto", List.of("specs/fleet/orchestrator/v1/orchestrator.proto"),
                        "/app/specs/orchestrator.proto", List.of()),
                new LayerSpec("src", List.of("src/"), "/app/src/", List.of()),
                new LayerSpec("orchestrator-files", List.of("services/orchestrator/*.py"), "/app/services/orchestrator/", List.of()),
                new LayerSpec("consumers", List.of("services/orchestrator/consumers/"), "/app/services/orchestrator/consumers/",
                        List.of())), spec.layers(), "a relative destination is under WORKDIR, as in Docker");
    }

    @Test
    void everyRunIsReportedAtItsFirstLineWithWhatItDoesAndTheAdvice() {
        DockerfileImport result = DockerfileImport.parse(ORCHESTRATOR, "services/orchestrator/Dockerfile");

        Finding pip = at(result, 8, "RUN");
        assertEquals(Finding.Kind.UNSUPPORTED, pip.kind());
        assertTrue(pip.message().contains("pip install --no-cache-dir -r requirements.txt installs Python packages"),
                pip.message());
        assertFalse(pip.message().contains("--mount"), "build-cache flags are noise in the excerpt");
        assertTrue(pip.message().contains("move it into the base image"), pip.message());
        assertTrue(at(result, 12, "RUN").message().contains("generates gRPC code with protoc"));
        assertTrue(at(result, 21, "RUN").message().contains("creates a user"));
        assertEquals("services/orchestrator/Dockerfile:8: " + pip.message(), pip.render("services/orchestrator/Dockerfile"));
        assertEquals(List.of(8, 12, 21, 27), result.unsupported().stream().map(Finding::line).toList(),
                "three RUN and the HEALTHCHECK");
        assertFalse(result.complete());
    }

    @Test
    void theBaseIsSaidToLackWhatTheRunLinesAdd() {
        Finding from = at(DockerfileImport.parse(ORCHESTRATOR, "Dockerfile"), 2, "FROM");
        assertEquals(Finding.Kind.NOTE, from.kind());
        assertTrue(from.message().contains("python:3.13-slim lacks what the RUN lines 8, 12 and 21 add"), from.message());
    }

    @Test
    void aUserNameAndAHealthcheckAreExplained() {
        DockerfileImport result = DockerfileImport.parse(ORCHESTRATOR, "Dockerfile");
        assertTrue(at(result, 24, "USER").message().contains("user: \"1000\""));
        Finding healthcheck = at(result, 27, "HEALTHCHECK");
        assertEquals(Finding.Kind.UNSUPPORTED, healthcheck.kind());
        assertTrue(healthcheck.message().contains("readinessProbe"), healthcheck.message());
    }

    @Test
    void buildingFromADockerfileWithRunIsRefusedListingTheLines() {
        ImageBuildException e = assertThrows(ImageBuildException.class,
                () -> DockerfileImport.parse(ORCHESTRATOR, "Dockerfile").requireComplete());

        assertEquals(ImageBuildException.Problem.DOCKERFILE_UNSUPPORTED, e.problem());
        assertTrue(e.getMessage().contains("4 instructions do what Jib cannot. Nothing was pushed."), e.getMessage());
        assertTrue(e.getMessage().contains("\n  Dockerfile:8: RUN pip install"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  Dockerfile:12: RUN mkdir -p"), e.getMessage());
    }

    @Test
    void aDockerfileThatOnlyCopiesOntoAPreparedBaseIsComplete() throws Exception {
        DockerfileImport result = DockerfileImport.parse("""
                FROM registry.underpassai.com/swe-ai-fleet/orchestrator-base:v1.0.0
                WORKDIR /app
                COPY --exclude=**/__pycache__ services/orchestrator services/orchestrator/
                USER 1000
                ENTRYPOINT ["python"]
                """, "Dockerfile");

        assertTrue(result.complete(), result.findings().toString());
        BuildSpec spec = result.requireComplete();
        assertEquals(List.of("**/__pycache__"), spec.layers().get(0).exclude());
        assertEquals("/app/services/orchestrator/", spec.layers().get(0).to());
        assertEquals(Optional.of(List.of()), spec.cmd(), "an own ENTRYPOINT drops the base's CMD, as in Docker");
    }

    @Test
    void argumentsAndEnvironmentAreExpandedWhereDockerExpandsThem() {
        BuildSpec spec = DockerfileImport.parse("""
                ARG PYTHON=3.13
                FROM python:${PYTHON}-slim
                ARG APP=/srv/app
                ENV HOME_DIR=$APP LEGACY_FORM_IS_NOT_USED=x
                ENV GREETING hello world
                WORKDIR ${HOME_DIR}
                WORKDIR sub
                COPY ["app.py", "lib.py", "."]
                LABEL version="${VERSION:-dev}"
                """, "Dockerfile").spec().orElseThrow();

        assertEquals("python:3.13-slim", spec.base());
        assertEquals("/srv/app", spec.env().get("HOME_DIR"));
        assertEquals("hello world", spec.env().get("GREETING"), "the old ENV KEY value form");
        assertEquals(Optional.of("/srv/app/sub"), spec.workdir());
        assertEquals("/srv/app/sub/", spec.layers().get(0).to());
        assertEquals(List.of("app.py", "lib.py"), spec.layers().get(0).from());
        assertEquals("dev", spec.labels().get("version"));
    }

    @Test
    void copiesFromStagesDownloadsAndArchivesAreReported() {
        DockerfileImport result = DockerfileImport.parse("""
                FROM golang:1.22 AS builder
                RUN go build -o /out/tool ./cmd/tool
                FROM debian:12-slim
                COPY --from=builder /out/tool /usr/local/bin/tool
                ADD https://example.com/model.bin /models/
                ADD vendor.tar.gz /opt/
                ADD config/ /etc/service/
                CMD /usr/local/bin/tool --serve
                """, "Dockerfile");

        assertTrue(at(result, 1, "FROM").message().contains("is not the final image"));
        assertTrue(at(result, 4, "COPY").message().contains("--from=builder copies from a build stage"));
        assertTrue(at(result, 5, "ADD").message().contains("downloads at build time"));
        assertTrue(at(result, 6, "ADD").message().contains("unpacks an archive"));
        BuildSpec spec = result.spec().orElseThrow();
        assertEquals("debian:12-slim", spec.base());
        assertEquals(List.of(new LayerSpec("config", List.of("config/"), "/etc/service/", List.of())), spec.layers());
        assertEquals(Optional.of(List.of("/bin/sh", "-c", "/usr/local/bin/tool --serve")), spec.cmd());
        assertTrue(at(result, 8, "CMD").message().contains("shell form"));
    }

    @Test
    void aFileWithoutFromGivesNoSpec() {
        DockerfileImport result = DockerfileImport.parse("COPY . /app\n", "Dockerfile");

        assertEquals(Optional.empty(), result.spec());
        assertFalse(result.complete());
        assertTrue(result.unsupported().get(0).message().contains("no FROM instruction"));
    }

    @Test
    void theImportedSpecWrittenAsProfileTextReadsBackTheSame() throws Exception {
        BuildSpec spec = DockerfileImport.parse(ORCHESTRATOR, "Dockerfile").spec().orElseThrow();

        List<String> profileLayers = FleetProfile.defaults().service("orchestrator").orElseThrow().build().orElseThrow()
                .layers().stream().map(LayerSpec::name).toList();
        String yaml = BuildSpecYaml.service("orchestrator", spec, profileLayers);
        FleetProfile profile = FleetProfile.parse(yaml, "imported.yaml");

        BuildSpec read = profile.service("orchestrator").orElseThrow().build().orElseThrow();
        assertEquals(new HashSet<>(spec.layers()), new HashSet<>(read.layers()), "laid over the defaults' build of the"
                + " orchestrator, it replaces its layers (a layer both name keeps the profile's place):\n" + yaml);
        assertEquals(spec, new BuildSpec(read.base(), read.platform(), read.workdir(), read.user(), read.env(), read.ports(),
                read.labels(), read.entrypoint(), read.cmd(), spec.layers()));
    }

    @Test
    void theServiceIsNamedAfterItsFolder() {
        assertEquals("ray-executor", DockerfileImport.serviceNameFor(Path.of("services/ray_executor/Dockerfile")));
        assertEquals("orchestrator", DockerfileImport.serviceNameFor(Path.of("/repo/services/orchestrator/Dockerfile")));
    }
}
