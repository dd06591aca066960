package fleet.console.cluster.pods;

import fleet.console.cluster.events.EventRow;

import java.util.List;
import java.util.Map;

/** Everything the detail pane shows of one pod, read at one moment. */
public record PodDetail(PodRow row, List<ContainerDetail> containers, List<EventRow> events, Map<String, String> labels,
                        Map<String, String> annotations, String podIp, String hostIp, String qosClass,
                        List<String> conditions) {

    public PodDetail {
        containers = List.copyOf(containers);
        events = List.copyOf(events);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        conditions = List.copyOf(conditions);
    }
}
