package fleet.console.councils;

import fleet.console.audit.AuditEntry;
import fleet.console.cluster.Cancellation;
import fleet.console.cluster.ClusterWait;
import fleet.console.cluster.LabelSelectors;
import fleet.console.cluster.PodState;
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
import fleet.console.councils.contract.OrchestratorRpc;
import fleet.console.profile.FleetProfile;
import fleet.console.profile.ServiceSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The agent councils of the fleet's orchestrator, asked of and changed on every replica separately: each
 * orchestrator process holds its councils in its own memory, so one answer through the Service would show
 * one replica and hide the other. Each pod is reached by a port-forward of its own (no kubectl), over the
 * orchestrator's gRPC contract.
 * <p>
 * Changes behave as the runbook's jobs do (wait for GetStatus with bounded retries, ALREADY_EXISTS on create
 * is success, NOT_FOUND on delete is skipped) and are refused, with nothing changed, when the request is
 * wrong or a replica does not answer. Every change is written to the audit journal, refusals included.
 * Calls block: run them off the FX thread.
 */
public final class OrchestratorCouncils {

    /**
     * The most agents a council may get from the console. The profile fixes the default count but no upper
     * bound; every agent is a vLLM session on the fleet's one GPU and takes part in each peer review round,
     * so a typo (30 for 3) would make every deliberation crawl.
     */
    public static final int MAX_AGENTS = 10;
    /** The init job's literal that sets the agents per council; the fleet has no ConfigMap key for it. */
    public static final String AGENTS_ENV = "NUM_AGENTS_PER_COUNCIL";
    public static final String SERVICE_URLS = "service-urls";

    public static final String ACTION_INIT = "councils init";
    public static final String ACTION_DELETE_ALL = "councils delete";
    public static final String ACTION_CREATE = "council create";
    public static final String ACTION_DELETE = "council delete";

    /**
     * How patient calls are.
     *
     * @param callDeadline   each RPC's deadline: an orchestrator that accepts and never answers must not hang the console
     * @param statusAttempts how many GetStatus calls before a replica counts as not ready
     * @param firstRetry     the pause after the first failed GetStatus, doubled after each (kept by the gRPC channel's
     *                       retry policy, {@link OrchestratorRpc#statusRetryConfig})
     * @param readyWait      how long a starting pod (not crash looping) is given to become Ready
     */
    public record Settings(Duration callDeadline, int statusAttempts, Duration firstRetry, Duration readyWait) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), 5, Duration.ofMillis(250), Duration.ofSeconds(60));
        }
    }

    /** What changing the model or the agent count means for the councils that exist. */
    public record ChangeAdvice(boolean reinitNeeded, String explanation) {
    }

    private final KubernetesClient client;
    private final String context;
    private final String namespace;
    private final FleetProfile profile;
    private final Consumer<AuditEntry> journal;
    private final Clock clock;
    private final Settings settings;

    public OrchestratorCouncils(KubernetesClient client, String context, String namespace, FleetProfile profile,
                                Consumer<AuditEntry> journal, Clock clock, Settings settings) {
        this.client = client;
        this.context = context;
        this.namespace = namespace;
        this.profile = profile;
        this.journal = journal;
        this.clock = clock;
        this.settings = settings;
    }

    public OrchestratorCouncils(KubernetesClient client, String context, String namespace, FleetProfile profile,
                                Consumer<AuditEntry> journal) {
        this(client, context, namespace, profile, journal, Clock.systemUTC(), Settings.defaults());
    }

    public FleetProfile profile() {
        return profile;
    }

    public String namespace() {
        return namespace;
    }

    public String context() {
        return context;
    }

    // ---- where the orchestrator runs ---------------------------------------------------------------

    ServiceSpec orchestratorService() throws CouncilsProblem {
        return profile.service("orchestrator").orElseThrow(() -> new CouncilsProblem(CouncilsProblem.Kind.NO_ORCHESTRATOR,
                "The fleet profile (" + profile.source() + ") has no service named orchestrator, so there are no councils to show.",
                "Add the orchestrator to the profile's services, as the built-in profile has it."));
    }

    int port() throws CouncilsProblem {
        return orchestratorService().port().orElse(OrchestratorRpc.PORT);
    }

    /** The orchestrator deployment's own selector: its pods are found by it, never by guessing a label. */
    private LabelSelector selector() throws CouncilsProblem {
        String name = orchestratorService().name();
        Deployment deployment;
        try {
            deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new CouncilsProblem(CouncilsProblem.Kind.UNREACHABLE, "Cannot read deployment " + name + " in " + namespace
                    + " on " + context + ": " + e.getMessage(), "Check the connection to the cluster, then try again.", e);
        }
        if (deployment == null || deployment.getSpec() == null || deployment.getSpec().getSelector() == null) {
            throw new CouncilsProblem(CouncilsProblem.Kind.NO_ORCHESTRATOR, "There is no deployment " + name + " in namespace "
                    + namespace + " on " + context + ", so no orchestrator holds councils there.",
                    "Deploy the fleet (the initial deployment runbook), or choose the fleet's namespace with -n.");
        }
        return deployment.getSpec().getSelector();
    }

    /**
     * The orchestrator's pods (not those being deleted), by name. The fleet's council jobs label their pods
     * app=orchestrator too, which the deployment's selector matches: pods a Job owns are not replicas.
     */
    public List<Replica> replicas() throws CouncilsProblem {
        LabelSelector selector = selector();
        String container = orchestratorService().container();
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
        } catch (KubernetesClientException e) {
            throw new CouncilsProblem(CouncilsProblem.Kind.UNREACHABLE, "Cannot list the orchestrator's pods: " + e.getMessage(),
                    "Check the connection to the cluster, then try again.", e);
        }
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> LabelSelectors.matches(selector, p.getMetadata().getLabels()))
                .filter(p -> isReplica(p, container))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(OrchestratorCouncils::replicaOf)
                .toList();
    }

    private static boolean isReplica(Pod pod, String container) {
        boolean jobs = pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> "Job".equals(r.getKind()));
        return !jobs && pod.getSpec() != null && pod.getSpec().getContainers().stream().anyMatch(c -> container.equals(c.getName()));
    }

    private static Replica replicaOf(Pod pod) {
        PodState state = PodState.of(pod);
        boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return new Replica(pod.getMetadata().getName(), ready, state.status(), state.detail().orElse(""));
    }

    /**
     * Calls {@code onChange} whenever an orchestrator pod appears, changes or goes (a restart empties its
     * councils), from an informer thread. Close the result to stop.
     */
    public AutoCloseable watchReplicas(Runnable onChange) throws CouncilsProblem {
        LabelSelector selector = selector();
        String container = orchestratorService().container();
        SharedIndexInformer<Pod> informer = client.pods().inNamespace(namespace).withLabelSelector(selector)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        if (isReplica(pod, container)) {
                            onChange.run();
                        }
                    }

                    @Override
                    public void onUpdate(Pod before, Pod after) {
                        // Status writes of a running pod come often; only what changes the replica's standing counts.
                        if (isReplica(after, container) && (!replicaOf(before).equals(replicaOf(after))
                                || before.getMetadata().getDeletionTimestamp() == null && after.getMetadata().getDeletionTimestamp() != null)) {
                            onChange.run();
                        }
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        if (isReplica(pod, container)) {
                            onChange.run();
                        }
                    }
                });
        return informer::close;
    }

    // ---- reading -----------------------------------------------------------------------------------

    /**
     * Every replica's status and councils (with their agents). A replica that cannot be asked is in the
     * snapshot with the reason; only a missing orchestrator deployment is a problem.
     */
    public CouncilsSnapshot read() throws CouncilsProblem {
        List<ReplicaCouncils> out = new ArrayList<>();
        int port = port();
        for (Replica replica : replicas()) {
            out.add(readOne(replica, port));
        }
        return new CouncilsSnapshot(out, profile.councils().roles(), clock.instant());
    }

    private ReplicaCouncils readOne(Replica replica, int port) {
        if (!"Running".equals(replica.state()) && !replica.ready()) {
            return unanswered(replica, replica.state() + (replica.detail().isEmpty() ? "" : ": " + replica.detail())
                    + "; not asked, its process is not running");
        }
        try (ReplicaLink link = ReplicaLink.open(client, namespace, replica.pod(), port, settings.callDeadline(), statusRetries())) {
            GetStatusResponse status;
            try {
                status = link.rpc().getStatus(GetStatusRequest.newBuilder().setIncludeStats(true).build());
            } catch (StatusRuntimeException e) {
                return unanswered(replica, "does not answer GetStatus: " + describe(e));
            }
            List<CouncilInfo> councils = link.rpc().listCouncils(ListCouncilsRequest.newBuilder().setIncludeAgents(true).build())
                    .getCouncilsList();
            return new ReplicaCouncils(replica, Optional.of(statusOf(status)), councils.stream().map(OrchestratorCouncils::councilOf).toList(),
                    Optional.empty());
        } catch (CouncilsProblem e) {
            return unanswered(replica, e.getMessage());
        } catch (StatusRuntimeException e) {
            return unanswered(replica, "ListCouncils failed: " + describe(e));
        }
    }

    private static ReplicaCouncils unanswered(Replica replica, String why) {
        return new ReplicaCouncils(replica, Optional.empty(), List.of(), Optional.of(why));
    }

    private static ReplicaStatus statusOf(GetStatusResponse r) {
        return new ReplicaStatus(r.getStatus(), Duration.ofSeconds(r.getUptimeSeconds()), r.getStats().getActiveCouncils(),
                r.getStats().getRoleCountsMap());
    }

    private static Council councilOf(CouncilInfo c) {
        List<Agent> agents = new ArrayList<>();
        for (AgentInfo a : c.getAgentsList()) {
            agents.add(new Agent(a.getAgentId(), a.getStatus(), a.getCapabilities().getSupportedTasksList(),
                    a.getCapabilities().getModelProfile()));
        }
        return new Council(c.getCouncilId(), c.getRole(), c.getNumAgents(), agents, c.getStatus(), c.getModel());
    }

    /** Where the council settings in force come from, and where they disagree with the profile. */
    public CouncilConfiguration configuration() {
        Map<String, String> urls = Map.of();
        List<String> notes = new ArrayList<>();
        try {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(SERVICE_URLS).get();
            if (cm == null || cm.getData() == null) {
                notes.add("ConfigMap " + SERVICE_URLS + " is missing: the init job would get no VLLM_URL or VLLM_MODEL.");
            } else {
                urls = cm.getData();
            }
        } catch (KubernetesClientException e) {
            notes.add("ConfigMap " + SERVICE_URLS + " could not be read: " + e.getMessage());
        }
        Optional<String> model = Optional.ofNullable(urls.get("VLLM_MODEL")).filter(s -> !s.isBlank());
        Optional<String> url = Optional.ofNullable(urls.get("VLLM_URL")).filter(s -> !s.isBlank());
        String profileModel = profile.councils().model();
        if (model.isPresent() && !model.get().equals(profileModel)) {
            notes.add("The cluster's model (" + model.get() + ", ConfigMap " + SERVICE_URLS + ") is not the profile's ("
                    + profileModel + "); new councils get the cluster's.");
        }
        int agents = profile.councils().agentsPerCouncil();
        String source = "the profile (councils.agentsPerCouncil)";
        Optional<Integer> fromJob = Optional.empty();
        try {
            fromJob = agentsOfInitJob();
        } catch (KubernetesClientException e) {
            notes.add("Job " + CouncilJobs.Kind.INIT.jobName() + " could not be read: " + e.getMessage());
        } catch (NumberFormatException e) {
            notes.add("Job " + CouncilJobs.Kind.INIT.jobName() + " sets " + AGENTS_ENV + " to something that is not a number ("
                    + e.getMessage() + "); the job would fail.");
        }
        if (fromJob.isPresent()) {
            source = "the " + AGENTS_ENV + " literal of Job " + CouncilJobs.Kind.INIT.jobName();
            if (fromJob.get() != agents) {
                notes.add("The init job creates " + fromJob.get() + " agents per council, the profile says " + agents + ".");
            }
            agents = fromJob.get();
        } else if (source.startsWith("the profile")) {
            source = "the profile (no Job " + CouncilJobs.Kind.INIT.jobName() + " in the cluster: the fleet's job removes itself"
                    + " after it finished)";
        }
        return new CouncilConfiguration(url, model, agents, source, profile.councils().roles(), profileModel, notes);
    }

    private Optional<Integer> agentsOfInitJob() {
        Job job = client.batch().v1().jobs().inNamespace(namespace).withName(CouncilJobs.Kind.INIT.jobName()).get();
        if (job == null || job.getSpec() == null || job.getSpec().getTemplate() == null || job.getSpec().getTemplate().getSpec() == null) {
            return Optional.empty();
        }
        return job.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> c.getEnv() == null ? java.util.stream.Stream.<EnvVar>empty() : c.getEnv().stream())
                .filter(e -> AGENTS_ENV.equals(e.getName()) && e.getValue() != null)
                .map(e -> Integer.parseInt(e.getValue().trim()))
                .findFirst();
    }

    // ---- input ---------------------------------------------------------------------------------------

    /** The profile's spelling of a role, or a refusal naming the roles there are. */
    public String checkRole(String role) throws CouncilsProblem {
        List<String> known = profile.councils().roles();
        String typed = role == null ? "" : role.trim();
        for (String k : known) {
            if (k.equals(typed)) {
                return k;
            }
        }
        String near = known.stream().filter(k -> k.equalsIgnoreCase(typed)).findFirst()
                .or(() -> known.stream().filter(k -> editDistance(k.toUpperCase(Locale.ROOT), typed.toUpperCase(Locale.ROOT)) <= 2).findFirst())
                .map(k -> " Did you mean " + k + "?").orElse("");
        throw new CouncilsProblem(CouncilsProblem.Kind.BAD_INPUT, "'" + typed + "' is not a council role of this fleet." + near
                + " Nothing was changed.", "The profile's roles are " + String.join(", ", known)
                + "; a new role is added to the profile's councils.roles first.");
    }

    public void checkAgents(int agents) throws CouncilsProblem {
        if (agents < 1) {
            throw new CouncilsProblem(CouncilsProblem.Kind.BAD_INPUT, "A council needs at least 1 agent, not " + agents
                    + ". Nothing was changed.", "Give 1 to " + MAX_AGENTS + " agents; the fleet's default is "
                    + profile.councils().agentsPerCouncil() + ".");
        }
        if (agents > MAX_AGENTS) {
            throw new CouncilsProblem(CouncilsProblem.Kind.BAD_INPUT, agents + " agents per council is more than the console allows ("
                    + MAX_AGENTS + "). Nothing was changed.", "Each agent is a vLLM session on the fleet's GPU and joins every"
                    + " peer review; give 1 to " + MAX_AGENTS + " (the fleet's default is " + profile.councils().agentsPerCouncil() + ").");
        }
    }

    private static void checkModel(String model) throws CouncilsProblem {
        if (model == null || model.isBlank()) {
            throw new CouncilsProblem(CouncilsProblem.Kind.BAD_INPUT, "No model given for the council's agents. Nothing was changed.",
                    "Name the model the agents run on, for example the VLLM_MODEL of ConfigMap " + SERVICE_URLS + ".");
        }
    }

    private static void checkAgentType(String agentType) throws CouncilsProblem {
        if (!CouncilRequest.AGENT_TYPES.contains(agentType)) {
            throw new CouncilsProblem(CouncilsProblem.Kind.BAD_INPUT, "'" + agentType + "' is not an agent type the orchestrator knows."
                    + " Nothing was changed.", "Use one of " + String.join(", ", CouncilRequest.AGENT_TYPES) + " ("
                    + CouncilRequest.DEFAULT_AGENT_TYPE + " is what the fleet's init job uses).");
        }
    }

    // ---- changes ---------------------------------------------------------------------------------------

    /** The runbook's init: every profile role, with the agents and model in force, on every replica. */
    public ActionReport initialise() throws CouncilsProblem, InterruptedException {
        CouncilConfiguration config = configuration();
        return initialise(config.agentsPerCouncil(), config.model());
    }

    /** Every profile role with these agents and model, on every replica; existing councils are kept as they are. */
    public ActionReport initialise(int agents, String model) throws CouncilsProblem, InterruptedException {
        String target = String.join(", ", profile.councils().roles()) + " (" + agents + " agents, " + model + ")";
        refuseUnless(ACTION_INIT, target, () -> {
            checkAgents(agents);
            checkModel(model);
        });
        return onEveryReplica(ACTION_INIT, target, profile.councils().roles(),
                (link, role) -> create(link, new CouncilRequest(role, agents, model, CouncilRequest.DEFAULT_AGENT_TYPE)));
    }

    /** The runbook's delete: every profile role's council on every replica; a missing one is skipped. */
    public ActionReport deleteAll() throws CouncilsProblem, InterruptedException {
        String target = String.join(", ", profile.councils().roles());
        return onEveryReplica(ACTION_DELETE_ALL, target, profile.councils().roles(), this::delete);
    }

    /** One council on every replica (so that the replicas keep agreeing). */
    public ActionReport create(CouncilRequest request) throws CouncilsProblem, InterruptedException {
        String target = request.role() + " (" + request.agents() + " agents, " + request.model() + ", " + request.agentType() + ")";
        String[] role = new String[1];
        refuseUnless(ACTION_CREATE, target, () -> {
            role[0] = checkRole(request.role());
            checkAgents(request.agents());
            checkModel(request.model());
            checkAgentType(request.agentType());
        });
        CouncilRequest checked = new CouncilRequest(role[0], request.agents(), request.model(), request.agentType());
        return onEveryReplica(ACTION_CREATE, target, List.of(checked.role()), (link, r) -> create(link, checked));
    }

    /** One role's council on every replica. */
    public ActionReport delete(String role) throws CouncilsProblem, InterruptedException {
        String[] checked = new String[1];
        refuseUnless(ACTION_DELETE, String.valueOf(role), () -> checked[0] = checkRole(role));
        return onEveryReplica(ACTION_DELETE, checked[0], List.of(checked[0]), this::delete);
    }

    /**
     * A council keeps the agents and model it was created with: the orchestrator has no call to change them,
     * and create on an existing role answers ALREADY_EXISTS and changes nothing. So a new model or agent count
     * takes effect only when the councils are deleted and initialised again, on every replica.
     */
    public ChangeAdvice adviseChange(int agents, String model) throws CouncilsProblem {
        checkAgents(agents);
        checkModel(model);
        CouncilsSnapshot now = read();
        List<String> differing = new ArrayList<>();
        for (ReplicaCouncils r : now.answering()) {
            for (Council c : r.councils()) {
                if (c.agentCount() != agents || !c.model().equals(model)) {
                    differing.add(c.role() + " on " + r.replica().pod() + " (" + c.agentCount() + " agents, " + c.model() + ")");
                }
            }
        }
        if (differing.isEmpty()) {
            return new ChangeAdvice(false, now.councilCount() == 0
                    ? "There are no councils yet: initialising creates them with " + agents + " agents and " + model + "."
                    : "Every council already has " + agents + " agents and " + model + ": nothing to change.");
        }
        return new ChangeAdvice(true, "Councils keep the agents and model they were created with; the orchestrator cannot change"
                + " them in place and answers ALREADY_EXISTS to a new create. These differ: " + String.join("; ", differing)
                + ". Re-initialising deletes every council on every replica (deliberations in progress lose their agents) and"
                + " creates them again with " + agents + " agents and " + model + ". To keep it after the next deployment, also set "
                + AGENTS_ENV + " in Job " + CouncilJobs.Kind.INIT.jobName() + " and VLLM_MODEL in ConfigMap " + SERVICE_URLS + ".");
    }

    /** Delete then initialise, on every replica, with the new agents and model. */
    public ActionReport reinitialise(int agents, String model) throws CouncilsProblem, InterruptedException {
        String target = String.join(", ", profile.councils().roles()) + " (" + agents + " agents, " + model + ")";
        refuseUnless(ACTION_INIT, target, () -> {
            checkAgents(agents);
            checkModel(model);
        });
        ActionReport deleted = deleteAll();
        ActionReport created = initialise(agents, model);
        List<RoleOutcome> all = new ArrayList<>(deleted.outcomes());
        all.addAll(created.outcomes());
        return new ActionReport("councils re-init", all);
    }

    // ---- the work on every replica -----------------------------------------------------------------

    private interface Check {
        void run() throws CouncilsProblem;
    }

    private void refuseUnless(String action, String target, Check check) throws CouncilsProblem {
        try {
            check.run();
        } catch (CouncilsProblem e) {
            audit(action, target, "refused: " + e.getMessage());
            throw e;
        }
    }

    private interface RoleCall {
        RoleOutcome run(ReplicaLink link, String role);
    }

    /**
     * Opens a link to every replica and waits until each answers GetStatus; only then changes anything, so a
     * replica that is down leaves every replica as it was (rather than some initialised and some not).
     */
    private ActionReport onEveryReplica(String action, String target, List<String> roles, RoleCall call)
            throws CouncilsProblem, InterruptedException {
        List<ReplicaLink> links = new ArrayList<>();
        try {
            List<Replica> replicas;
            try {
                replicas = replicas();
                if (replicas.isEmpty()) {
                    throw new CouncilsProblem(CouncilsProblem.Kind.NO_ORCHESTRATOR, "The orchestrator runs no pod in " + namespace
                            + " (scaled to 0?), so there is nowhere to " + verb(action) + " councils. Nothing was changed.",
                            "Scale deployment " + orchestratorService().name() + " up, wait until its pods are Ready, then try again.");
                }
                int port = port();
                for (Replica r : replicas) {
                    ReplicaLink link = ReplicaLink.open(client, namespace, r.pod(), port, settings.callDeadline(), statusRetries());
                    links.add(link);
                    awaitAnswering(r, link);
                }
            } catch (CouncilsProblem e) {
                audit(action, target, "refused: " + e.getMessage());
                throw e;
            }
            List<RoleOutcome> outcomes = new ArrayList<>();
            for (ReplicaLink link : links) {
                List<RoleOutcome> mine = new ArrayList<>();
                for (String role : roles) {
                    mine.add(call.run(link, role));
                }
                outcomes.addAll(mine);
                boolean ok = mine.stream().allMatch(o -> o.result().success());
                audit(action, target + " on " + link.pod(), (ok ? "ok: " : "failed: ") + ActionReport.summary(mine)
                        + (ok ? "" : " (" + mine.stream().filter(o -> !o.result().success()).map(RoleOutcome::detail)
                        .distinct().reduce((a, b) -> a + "; " + b).orElse("") + ")"));
            }
            return new ActionReport(action, outcomes);
        } finally {
            links.forEach(ReplicaLink::close);
        }
    }

    private static String verb(String action) {
        return action.endsWith("init") || action.endsWith("create") ? "create" : "delete";
    }

    /**
     * The runbook jobs' wait: GetStatus a bounded number of times. A pod that is still starting is given time
     * to become Ready (watched, not polled); one in a crash loop or that cannot pull its image is not waited for.
     */
    private void awaitAnswering(Replica replica, ReplicaLink link) throws CouncilsProblem, InterruptedException {
        if (!replica.ready()) {
            PodState state = currentState(replica.pod());
            if (state == null || state.problem()) {
                throw notReady(replica.pod(), (state == null ? "gone" : state.status() + state.detail().map(d -> ": " + d).orElse(""))
                        + "; its process is not running", null);
            }
            if (!awaitPodReady(replica.pod())) {
                throw notReady(replica.pod(), "not Ready after " + settings.readyWait().toSeconds() + " s (" + replica.state() + ")", null);
            }
        }
        try {
            link.rpc().getStatus(GetStatusRequest.getDefaultInstance(), statusPatience());
        } catch (StatusRuntimeException e) {
            throw notReady(replica.pod(), "does not answer GetStatus after " + settings.statusAttempts() + " attempts: " + describe(e), e);
        }
    }

    private java.util.Map<String, Object> statusRetries() {
        return OrchestratorRpc.statusRetryConfig(settings.statusAttempts(), settings.firstRetry());
    }

    private Duration statusPatience() {
        return OrchestratorRpc.statusPatience(settings.statusAttempts(), settings.firstRetry(), settings.callDeadline());
    }

    private CouncilsProblem notReady(String pod, String why, Throwable cause) {
        return new CouncilsProblem(CouncilsProblem.Kind.NOT_READY, "Orchestrator replica " + pod + " is not ready: " + why
                + ". Nothing was changed on any replica.", "Look at " + pod + " in the Pods area (its log and events); once it is"
                + " Ready and answers, try again.", cause);
    }

    private PodState currentState(String pod) {
        Pod p = client.pods().inNamespace(namespace).withName(pod).get();
        return p == null || p.getMetadata().getDeletionTimestamp() != null ? null : PodState.of(p);
    }

    private boolean awaitPodReady(String pod) throws InterruptedException, CouncilsProblem {
        LabelSelector selector = selector();
        ClusterWait.Outcome outcome = ClusterWait.until(client.pods().inNamespace(namespace).withLabelSelector(selector),
                () -> client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems(),
                pods -> pods.stream().filter(p -> p.getMetadata().getName().equals(pod)).findFirst()
                        .map(p -> replicaOf(p).ready() || PodState.of(p).problem()).orElse(true),
                settings.readyWait(), Cancellation.none());
        return outcome == ClusterWait.Outcome.MET && Optional.ofNullable(currentState(pod)).map(s -> !s.problem()).orElse(false)
                && replicaOf(client.pods().inNamespace(namespace).withName(pod).get()).ready();
    }

    private RoleOutcome create(ReplicaLink link, CouncilRequest request) {
        CouncilConfig.Builder config = CouncilConfig.newBuilder().setDeliberationRounds(1).setEnablePeerReview(true)
                .setModelProfile(request.model()).setAgentType(request.agentType());
        try {
            CreateCouncilResponse r = link.rpc().createCouncil(CreateCouncilRequest.newBuilder().setRole(request.role())
                    .setNumAgents(request.agents()).setConfig(config).build());
            return new RoleOutcome(link.pod(), request.role(), RoleOutcome.Result.CREATED, r.getCouncilId() + ", "
                    + r.getAgentsCreated() + " agents");
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return new RoleOutcome(link.pod(), request.role(), RoleOutcome.Result.ALREADY_EXISTS, "kept as it is");
            }
            return new RoleOutcome(link.pod(), request.role(), RoleOutcome.Result.FAILED, describe(e));
        }
    }

    private RoleOutcome delete(ReplicaLink link, String role) {
        try {
            DeleteCouncilResponse r = link.rpc().deleteCouncil(DeleteCouncilRequest.newBuilder().setRole(role).build());
            return new RoleOutcome(link.pod(), role, RoleOutcome.Result.DELETED, r.getAgentsRemoved() + " agents removed");
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return new RoleOutcome(link.pod(), role, RoleOutcome.Result.SKIPPED, "");
            }
            return new RoleOutcome(link.pod(), role, RoleOutcome.Result.FAILED, describe(e));
        }
    }

    static String describe(StatusRuntimeException e) {
        if (e == null) {
            return "no answer";
        }
        Status s = e.getStatus();
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }

    void audit(String action, String target, String result) {
        journal.accept(new AuditEntry(clock.instant(), context, namespace, action, target, result));
    }

    KubernetesClient client() {
        return client;
    }

    Clock clock() {
        return clock;
    }

    /** Consequences of deleting, in words, for a confirmation: what is destroyed, where. */
    public String deleteConsequences(CouncilsSnapshot now, Optional<String> role) {
        Map<String, List<String>> byReplica = new LinkedHashMap<>();
        int agents = 0;
        for (ReplicaCouncils r : now.answering()) {
            for (Council c : r.councils()) {
                if (role.isEmpty() ? profile.councils().roles().contains(c.role()) : c.role().equals(role.get())) {
                    byReplica.computeIfAbsent(r.replica().pod(), k -> new ArrayList<>()).add(c.role());
                    agents += c.agentCount();
                }
            }
        }
        if (byReplica.isEmpty()) {
            return "No replica holds " + role.map(r -> "a " + r + " council").orElse("any of the councils") + " now; deleting skips"
                    + " every role and changes nothing.";
        }
        StringBuilder out = new StringBuilder("Deletes ");
        List<String> parts = new ArrayList<>();
        byReplica.forEach((pod, roles) -> parts.add(String.join(", ", roles) + " on " + pod));
        out.append(String.join("; ", parts)).append(" (").append(agents).append(" agents in all) on ").append(context).append(" / ")
                .append(namespace).append(". Deliberations in progress lose their agents, and tasks for these roles fail until the"
                        + " councils are initialised again. Councils live only in the orchestrator's memory: there is no undo.");
        return out.toString();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1), Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
