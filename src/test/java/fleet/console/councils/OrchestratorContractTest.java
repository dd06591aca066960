package fleet.console.councils;

import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import fleet.console.councils.contract.AgentCapabilities;
import fleet.console.councils.contract.AgentInfo;
import fleet.console.councils.contract.CouncilConfig;
import fleet.console.councils.contract.CouncilInfo;
import fleet.console.councils.contract.CreateCouncilRequest;
import fleet.console.councils.contract.CreateCouncilResponse;
import fleet.console.councils.contract.DeleteCouncilRequest;
import fleet.console.councils.contract.DeleteCouncilResponse;
import fleet.console.councils.contract.GetStatusRequest;
import fleet.console.councils.contract.GetStatusResponse;
import fleet.console.councils.contract.ListCouncilsRequest;
import fleet.console.councils.contract.ListCouncilsResponse;
import fleet.console.councils.contract.OrchestratorCouncilsProto;
import fleet.console.councils.contract.OrchestratorRpc;
import fleet.console.councils.contract.OrchestratorStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our orchestrator_councils.proto against the fleet's own orchestrator.proto, compiled at test time by the
 * same protoc the build used: every message, field number, type and RPC we use must be the real one, and
 * messages we write must read back unchanged through descriptors built from the fleet's file.
 */
class OrchestratorContractTest {

    private static final Path REFERENCE = Path.of("..", "shared", "fleet", "proto", "orchestrator.proto");

    private static Descriptors.FileDescriptor reference;

    @BeforeAll
    static void compileTheFleetsContract(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(REFERENCE), "The fleet's orchestrator.proto is not at " + REFERENCE.toAbsolutePath()
                + " (the shared reference data is not beside this checkout), so there is nothing to compare with.");
        String protocPath = System.getProperty("fleet.protoc", "");
        assumeTrue(!protocPath.isBlank() && Files.isRegularFile(Path.of(protocPath)), "No protoc at '" + protocPath
                + "': run the tests through Maven (mvn test), whose protobuf plugin fetches protoc and names it.");
        // The copy in target/ may have lost its execute bit; a private copy can be given one.
        Path protoc = Files.copy(Path.of(protocPath), dir.resolve("protoc"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(protoc.toFile().setExecutable(true)).isTrue();
        Path out = dir.resolve("orchestrator.desc");
        Process p = new ProcessBuilder(protoc.toString(), "--proto_path=" + REFERENCE.getParent().toAbsolutePath(),
                "--descriptor_set_out=" + out, "--include_imports", REFERENCE.getFileName().toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("protoc on the fleet's orchestrator.proto: " + output).isZero();
        reference = build(DescriptorProtos.FileDescriptorSet.parseFrom(Files.readAllBytes(out)));
    }

    private static Descriptors.FileDescriptor build(DescriptorProtos.FileDescriptorSet set) throws Descriptors.DescriptorValidationException {
        List<Descriptors.FileDescriptor> built = new ArrayList<>();
        Descriptors.FileDescriptor last = null;
        for (DescriptorProtos.FileDescriptorProto file : set.getFileList()) {
            last = Descriptors.FileDescriptor.buildFrom(file, built.toArray(new Descriptors.FileDescriptor[0]));
            built.add(last);
        }
        return last;
    }

    private static Descriptors.FileDescriptor ours() {
        return OrchestratorCouncilsProto.getDescriptor();
    }

    @Test
    void packageAndServiceAreTheOrchestrators() {
        assertThat(ours().getPackage()).isEqualTo(reference.getPackage());
        assertThat(reference.findServiceByName("OrchestratorService")).isNotNull();
        assertThat(OrchestratorRpc.serviceName()).isEqualTo(reference.findServiceByName("OrchestratorService").getFullName());
    }

    @Test
    void everyRpcWeCallHasTheSameNameMessagesAndShape() {
        Descriptors.ServiceDescriptor theirs = reference.findServiceByName("OrchestratorService");
        for (Descriptors.MethodDescriptor mine : ours().findServiceByName("OrchestratorService").getMethods()) {
            Descriptors.MethodDescriptor real = theirs.findMethodByName(mine.getName());
            assertThat(real).as("RPC " + mine.getName() + " in the fleet's contract").isNotNull();
            assertThat(real.getInputType().getFullName()).as(mine.getName() + " input").isEqualTo(mine.getInputType().getFullName());
            assertThat(real.getOutputType().getFullName()).as(mine.getName() + " output").isEqualTo(mine.getOutputType().getFullName());
            assertThat(real.isClientStreaming()).isEqualTo(mine.isClientStreaming());
            assertThat(real.isServerStreaming()).isEqualTo(mine.isServerStreaming());
        }
        assertThat(ours().findServiceByName("OrchestratorService").getMethods()).extracting(Descriptors.MethodDescriptor::getName)
                .containsExactlyInAnyOrder("CreateCouncil", "ListCouncils", "DeleteCouncil", "GetStatus");
    }

    @Test
    void everyFieldWeUseHasTheSameNumberTypeAndLabel() {
        for (Descriptors.Descriptor mine : ours().getMessageTypes()) {
            Descriptors.Descriptor real = reference.findMessageTypeByName(mine.getName());
            assertThat(real).as("message " + mine.getName() + " in the fleet's contract").isNotNull();
            compareFields(mine, real);
        }
    }

    private static void compareFields(Descriptors.Descriptor mine, Descriptors.Descriptor real) {
        for (Descriptors.FieldDescriptor field : mine.getFields()) {
            Descriptors.FieldDescriptor theirs = real.findFieldByNumber(field.getNumber());
            String where = mine.getName() + "." + field.getName() + " = " + field.getNumber();
            assertThat(theirs).as(where + " in the fleet's contract").isNotNull();
            assertThat(theirs.getName()).as(where + ": name").isEqualTo(field.getName());
            assertThat(theirs.getType()).as(where + ": type").isEqualTo(field.getType());
            assertThat(theirs.isRepeated()).as(where + ": repeated").isEqualTo(field.isRepeated());
            assertThat(theirs.isMapField()).as(where + ": map").isEqualTo(field.isMapField());
            if (field.getType() == Descriptors.FieldDescriptor.Type.MESSAGE) {
                Descriptors.Descriptor mineType = field.getMessageType();
                Descriptors.Descriptor theirType = theirs.getMessageType();
                if (field.isMapField()) {
                    // Map entries are nested types named after the field: compare key and value instead of names.
                    compareFields(mineType, theirType);
                } else {
                    assertThat(theirType.getFullName()).as(where + ": message type").isEqualTo(mineType.getFullName());
                }
            }
        }
    }

    @Test
    void ourMessagesReadBackUnchangedThroughTheFleetsDescriptors() throws Exception {
        AgentCapabilities capabilities = AgentCapabilities.newBuilder().addSupportedTasks("code").addSupportedTasks("review")
                .setModelProfile("Qwen/Qwen2.5-0.5B-Instruct").setMaxConcurrentTasks(2).addLanguages("python").build();
        CouncilInfo council = CouncilInfo.newBuilder().setCouncilId("council-dev-1").setRole("DEV").setNumAgents(3)
                .addAgents(AgentInfo.newBuilder().setAgentId("agent-dev-001").setRole("DEV").setStatus("ready").setCapabilities(capabilities))
                .setStatus("active").setModel("Qwen/Qwen2.5-0.5B-Instruct").build();
        List<Message> samples = List.of(
                GetStatusRequest.newBuilder().setIncludeStats(true).build(),
                GetStatusResponse.newBuilder().setStatus("healthy").setUptimeSeconds(3600)
                        .setStats(OrchestratorStats.newBuilder().setTotalDeliberations(7).setTotalOrchestrations(2)
                                .setAvgDeliberationTimeMs(1234.5).setActiveCouncils(5).putRoleCounts("DEV", 3)).build(),
                CreateCouncilRequest.newBuilder().setRole("QA").setNumAgents(3).setConfig(CouncilConfig.newBuilder()
                        .setDeliberationRounds(1).setEnablePeerReview(true).setModelProfile("Qwen/Qwen2.5-0.5B-Instruct")
                        .putCustomParams("vllm_url", "http://vllm:8000").setAgentType("RAY_VLLM")).build(),
                CreateCouncilResponse.newBuilder().setCouncilId("council-qa-1").setAgentsCreated(3).addAgentIds("agent-qa-001").build(),
                ListCouncilsRequest.newBuilder().setRoleFilter("DEV").setIncludeAgents(true).build(),
                ListCouncilsResponse.newBuilder().addCouncils(council).build(),
                DeleteCouncilRequest.newBuilder().setRole("DATA").build(),
                DeleteCouncilResponse.newBuilder().setSuccess(true).setMessage("deleted").setAgentsRemoved(3).build());
        for (Message sample : samples) {
            Descriptors.Descriptor theirs = reference.findMessageTypeByName(sample.getDescriptorForType().getName());
            DynamicMessage read = DynamicMessage.parseFrom(theirs, sample.toByteArray());
            assertNoUnknownFields(read, sample.getDescriptorForType().getName());
            assertThat(read.getAllFields()).as(sample.getDescriptorForType().getName() + " has every field set").hasSameSizeAs(sample.getAllFields());
            Message back = sample.getParserForType().parseFrom(read.toByteArray());
            assertThat(back).as(sample.getDescriptorForType().getName() + " round trip").isEqualTo(sample);
        }
        DynamicMessage listed = DynamicMessage.parseFrom(reference.findMessageTypeByName("ListCouncilsResponse"),
                samples.get(5).toByteArray());
        DynamicMessage first = (DynamicMessage) listed.getRepeatedField(listed.getDescriptorForType().findFieldByName("councils"), 0);
        assertThat(first.getField(first.getDescriptorForType().findFieldByName("role"))).isEqualTo("DEV");
        assertThat(first.getField(first.getDescriptorForType().findFieldByName("num_agents"))).isEqualTo(3);
        assertThat(first.getField(first.getDescriptorForType().findFieldByName("model"))).isEqualTo("Qwen/Qwen2.5-0.5B-Instruct");
    }

    /** A field the fleet's descriptor does not place (another number or wire type) would land in unknown fields. */
    private static void assertNoUnknownFields(Message m, String where) {
        assertThat(m.getUnknownFields().asMap()).as(where + ": fields the fleet's contract does not know").isEmpty();
        for (Map.Entry<Descriptors.FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            if (e.getKey().getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            List<?> values = e.getKey().isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            for (Object v : values) {
                assertNoUnknownFields((Message) v, where + "." + e.getKey().getName());
            }
        }
    }

    @Test
    void theReferenceReallyIsTheFleetsFile() throws IOException {
        // Guards the comparison itself: were protoc to read another file, every check above could pass vacuously.
        assertThat(Files.readString(REFERENCE)).contains("service OrchestratorService");
        assertThat(reference.findMessageTypeByName("DeliberateRequest")).isNotNull();
    }
}
