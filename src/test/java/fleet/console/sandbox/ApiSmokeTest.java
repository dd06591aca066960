package fleet.console.sandbox;

import fleet.console.sandbox.api.SandboxApiServer;
import io.fabric8.kubernetes.api.model.apps.*;
import io.fabric8.kubernetes.api.model.*;
import io.fabric8.kubernetes.client.*;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.concurrent.*;

class ApiSmokeTest {
    @Test
    void smoke() throws Exception {
        Vertx vertx = Vertx.vertx();
        SandboxApiServer api = new SandboxApiServer(vertx, "1.31.0");
        api.start(0);
        KubernetesClient c = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty()).withMasterUrl(api.url()).withNamespace("ns").withHttp2Disable(true).build()).build();
        System.out.println(c.getKubernetesVersion().getGitVersion());
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        var inf = c.apps().deployments().inNamespace("ns").inform(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<Deployment>() {
            public void onAdd(Deployment d) { events.add("add " + d.getMetadata().getName() + " gen=" + d.getMetadata().getGeneration()); }
            public void onUpdate(Deployment o, Deployment d) { events.add("upd " + d.getMetadata().getName()+ " gen=" + d.getMetadata().getGeneration() + " replicas=" + d.getSpec().getReplicas()); }
            public void onDelete(Deployment d, boolean b) { events.add("del"); }
        });
        Deployment d = new DeploymentBuilder().withNewMetadata().withName("orch").endMetadata().withNewSpec().withReplicas(2)
          .withNewSelector().addToMatchLabels("app","o").endSelector().withNewTemplate().withNewMetadata().addToLabels("app","o").endMetadata()
          .withNewSpec().addNewContainer().withName("o").withImage("img:1").endContainer().endSpec().endTemplate().endSpec().build();
        c.apps().deployments().inNamespace("ns").resource(d).create();
        System.out.println(events.poll(5, TimeUnit.SECONDS));
        c.apps().deployments().inNamespace("ns").withName("orch").scale(3);
        System.out.println(events.poll(5, TimeUnit.SECONDS));
        Deployment got = c.apps().deployments().inNamespace("ns").withName("orch").get();
        got.setStatus(new DeploymentStatusBuilder().withReplicas(3).withObservedGeneration(2L).build());
        c.apps().deployments().inNamespace("ns").resource(got).updateStatus();
        System.out.println(events.poll(5, TimeUnit.SECONDS));
        c.apps().deployments().inNamespace("ns").withName("orch").edit(x -> { x.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("img:2"); return x; });
        System.out.println(events.poll(5, TimeUnit.SECONDS));
        System.out.println("status " + c.apps().deployments().inNamespace("ns").withName("orch").get().getStatus());
        System.out.println("rv " + c.apps().deployments().inNamespace("ns").withName("orch").get().getMetadata().getResourceVersion());
        Pod p = new PodBuilder().withNewMetadata().withName("p1").endMetadata().withNewSpec().addNewContainer().withName("x").withImage("i").endContainer().endSpec().build();
        c.pods().inNamespace("ns").resource(p).create();
        c.pods().inNamespace("ns").withName("p1").delete();
        System.out.println("pod after delete " + c.pods().inNamespace("ns").withName("p1").get());
        c.v1().events().inNamespace("ns").resource(new EventBuilder().withNewMetadata().withName("e1").endMetadata().withReason("X").build()).create();
        System.out.println(c.v1().events().inNamespace("ns").list().getItems().size());
        System.out.println(c.namespaces().withName("ns").get());
        inf.close();
        c.close();
        api.stop();
        vertx.close();
    }
}
