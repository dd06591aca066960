package fleet.console.councils.contract;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoFileDescriptorSupplier;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The four RPCs of {@code OrchestratorService} that the console and the sandbox's stand-in speak, as gRPC
 * methods. protoc generates the messages; the method table that protoc-gen-grpc-java would generate is
 * built here from the service descriptor of the same .proto, so names and message types cannot drift
 * from the file (a mismatch fails at class load, not on the wire).
 */
public final class OrchestratorRpc {

    /** The orchestrator's gRPC port in the fleet. */
    public static final int PORT = 50055;

    private static final Descriptors.ServiceDescriptor SERVICE =
            OrchestratorCouncilsProto.getDescriptor().findServiceByName("OrchestratorService");

    public static final MethodDescriptor<CreateCouncilRequest, CreateCouncilResponse> CREATE_COUNCIL =
            unary("CreateCouncil", CreateCouncilRequest.getDefaultInstance(), CreateCouncilResponse.getDefaultInstance());
    public static final MethodDescriptor<ListCouncilsRequest, ListCouncilsResponse> LIST_COUNCILS =
            unary("ListCouncils", ListCouncilsRequest.getDefaultInstance(), ListCouncilsResponse.getDefaultInstance());
    public static final MethodDescriptor<DeleteCouncilRequest, DeleteCouncilResponse> DELETE_COUNCIL =
            unary("DeleteCouncil", DeleteCouncilRequest.getDefaultInstance(), DeleteCouncilResponse.getDefaultInstance());
    public static final MethodDescriptor<GetStatusRequest, GetStatusResponse> GET_STATUS =
            unary("GetStatus", GetStatusRequest.getDefaultInstance(), GetStatusResponse.getDefaultInstance());

    private static final ServiceDescriptor GRPC_SERVICE = ServiceDescriptor.newBuilder(SERVICE.getFullName())
            .setSchemaDescriptor(new ServiceSchema())
            .addMethod(CREATE_COUNCIL)
            .addMethod(LIST_COUNCILS)
            .addMethod(DELETE_COUNCIL)
            .addMethod(GET_STATUS)
            .build();

    private OrchestratorRpc() {
    }

    /**
     * A channel's service config that retries the two reads, GetStatus and ListCouncils, while the
     * orchestrator answers UNAVAILABLE (a process that listens before it serves, as the runbook's init job
     * allows for, or a port-forward's tunnel that broke): {@code attempts} calls in all, the first pause
     * {@code firstBackoff}, doubled after each. gRPC keeps the pauses (randomised, as its retry design
     * wants), so no caller sleeps; CreateCouncil and DeleteCouncil are never retried, since they change
     * what the orchestrator holds.
     */
    public static java.util.Map<String, Object> statusRetryConfig(int attempts, java.time.Duration firstBackoff) {
        if (attempts < 2) {
            return java.util.Map.of(); // one attempt is no retry, and gRPC refuses a retry policy that says so
        }
        java.util.Map<String, Object> retry = java.util.Map.of(
                "maxAttempts", (double) attempts,
                "initialBackoff", firstBackoff.toMillis() / 1000.0 + "s",
                "maxBackoff", lastBackoff(attempts, firstBackoff).toMillis() / 1000.0 + "s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", java.util.List.of("UNAVAILABLE"));
        java.util.Map<String, Object> method = java.util.Map.of(
                "name", java.util.List.of(java.util.Map.of("service", serviceName(), "method", GET_STATUS.getBareMethodName()),
                        java.util.Map.of("service", serviceName(), "method", LIST_COUNCILS.getBareMethodName())),
                "retryPolicy", retry);
        return java.util.Map.of("methodConfig", java.util.List.of(method));
    }

    /**
     * How long a GetStatus under {@link #statusRetryConfig} may take in all: each attempt's own deadline
     * and the pauses between them at their longest.
     */
    public static Duration statusPatience(int attempts, Duration firstBackoff, Duration eachCall) {
        Duration pauses = Duration.ZERO;
        for (int i = 1; i < attempts; i++) {
            pauses = pauses.plus(firstBackoff.multipliedBy(1L << (i - 1)));
        }
        return eachCall.multipliedBy(attempts).plus(pauses);
    }

    /** The pause before the last attempt: the first, doubled after each attempt but the last. */
    private static Duration lastBackoff(int attempts, Duration firstBackoff) {
        return firstBackoff.multipliedBy(1L << Math.max(0, attempts - 2));
    }

    /** {@code fleet.orchestrator.v1.OrchestratorService}: the package and name the real orchestrator registers. */
    public static String serviceName() {
        return SERVICE.getFullName();
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(String name, Q request, R response) {
        Descriptors.MethodDescriptor method = SERVICE.findMethodByName(name);
        if (method == null || method.isClientStreaming() || method.isServerStreaming()
                || method.getInputType() != request.getDescriptorForType()
                || method.getOutputType() != response.getDescriptorForType()) {
            throw new IllegalStateException("orchestrator_councils.proto does not declare " + name + "("
                    + request.getDescriptorForType().getName() + ") returns (" + response.getDescriptorForType().getName() + ")");
        }
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE.getFullName(), name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .setSchemaDescriptor(new MethodSchema(name))
                .build();
    }

    /** What a server of the four RPCs answers; a {@link StatusException} becomes the call's gRPC status. */
    public interface Orchestrator {
        CreateCouncilResponse createCouncil(CreateCouncilRequest request) throws StatusException;

        ListCouncilsResponse listCouncils(ListCouncilsRequest request) throws StatusException;

        DeleteCouncilResponse deleteCouncil(DeleteCouncilRequest request) throws StatusException;

        GetStatusResponse getStatus(GetStatusRequest request) throws StatusException;
    }

    /** The service definition a gRPC server adds to serve {@code orchestrator}. */
    public static ServerServiceDefinition bind(Orchestrator orchestrator) {
        return ServerServiceDefinition.builder(GRPC_SERVICE)
                .addMethod(CREATE_COUNCIL, ServerCalls.asyncUnaryCall((q, out) -> answer(out, () -> orchestrator.createCouncil(q))))
                .addMethod(LIST_COUNCILS, ServerCalls.asyncUnaryCall((q, out) -> answer(out, () -> orchestrator.listCouncils(q))))
                .addMethod(DELETE_COUNCIL, ServerCalls.asyncUnaryCall((q, out) -> answer(out, () -> orchestrator.deleteCouncil(q))))
                .addMethod(GET_STATUS, ServerCalls.asyncUnaryCall((q, out) -> answer(out, () -> orchestrator.getStatus(q))))
                .build();
    }

    private interface Answer<R> {
        R get() throws StatusException;
    }

    private static <R> void answer(StreamObserver<R> out, Answer<R> answer) {
        R response;
        try {
            response = answer.get();
        } catch (StatusException e) {
            out.onError(e);
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }

    /**
     * Blocking calls on a channel, each with its own deadline: an orchestrator that accepts the connection
     * and never answers must not hang the caller. Failures arrive as {@link StatusRuntimeException}.
     */
    public static final class Client {
        private final Channel channel;
        private final Duration deadline;

        public Client(Channel channel, Duration deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }

        private CallOptions options() {
            return CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        public CreateCouncilResponse createCouncil(CreateCouncilRequest request) {
            return ClientCalls.blockingUnaryCall(channel, CREATE_COUNCIL, options(), request);
        }

        public ListCouncilsResponse listCouncils(ListCouncilsRequest request) {
            return ClientCalls.blockingUnaryCall(channel, LIST_COUNCILS, options(), request);
        }

        public DeleteCouncilResponse deleteCouncil(DeleteCouncilRequest request) {
            return ClientCalls.blockingUnaryCall(channel, DELETE_COUNCIL, options(), request);
        }

        public GetStatusResponse getStatus(GetStatusRequest request) {
            return ClientCalls.blockingUnaryCall(channel, GET_STATUS, options(), request);
        }

        /**
         * GetStatus with room for the channel's retries ({@link #statusRetryConfig}): the deadline covers
         * every attempt and the pauses between them.
         */
        public GetStatusResponse getStatus(GetStatusRequest request, Duration patience) {
            return ClientCalls.blockingUnaryCall(channel, GET_STATUS,
                    CallOptions.DEFAULT.withDeadlineAfter(patience.toMillis(), TimeUnit.MILLISECONDS), request);
        }
    }

    /** Lets gRPC's server reflection and tools name the .proto behind the service, as generated stubs do. */
    private static class ServiceSchema implements ProtoFileDescriptorSupplier, ProtoServiceDescriptorSupplier {
        @Override
        public Descriptors.FileDescriptor getFileDescriptor() {
            return OrchestratorCouncilsProto.getDescriptor();
        }

        @Override
        public Descriptors.ServiceDescriptor getServiceDescriptor() {
            return SERVICE;
        }
    }

    private static final class MethodSchema extends ServiceSchema implements ProtoMethodDescriptorSupplier {
        private final String method;

        MethodSchema(String method) {
            this.method = method;
        }

        @Override
        public Descriptors.MethodDescriptor getMethodDescriptor() {
            return SERVICE.findMethodByName(method);
        }
    }
}
