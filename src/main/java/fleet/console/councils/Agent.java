package fleet.console.councils;

import java.util.List;

/** An agent of a council as its replica reports it: {@code ready}, {@code busy} or {@code offline}. */
public record Agent(String id, String status, List<String> capabilities, String model) {

    public Agent {
        capabilities = List.copyOf(capabilities);
    }
}
