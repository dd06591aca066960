package fleet.console.ui.common;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FxBatcherTest {

    @Test
    void aBurstOfCallbacksCostsOneHandOverAndKeepsItsOrder() {
        List<Runnable> handOvers = new ArrayList<>();
        FxBatcher batcher = new FxBatcher(handOvers::add);
        List<Integer> ran = new ArrayList<>();

        for (int i = 0; i < 1000; i++) {
            int n = i;
            batcher.execute(() -> ran.add(n));
        }
        assertThat(handOvers).hasSize(1);
        handOvers.get(0).run();

        assertThat(ran).hasSize(1000).isSorted();
    }

    @Test
    void aCallbackQueuedAfterADrainGetsANewHandOver() {
        List<Runnable> handOvers = new ArrayList<>();
        FxBatcher batcher = new FxBatcher(handOvers::add);
        batcher.execute(() -> { });
        handOvers.get(0).run();

        batcher.execute(() -> { });

        assertThat(handOvers).hasSize(2);
    }

    @Test
    void oneFailingCallbackDoesNotSwallowTheRestOfItsBatch() {
        List<Runnable> handOvers = new ArrayList<>();
        FxBatcher batcher = new FxBatcher(handOvers::add);
        List<String> ran = new ArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.currentThread().getUncaughtExceptionHandler();
        List<Throwable> reported = new ArrayList<>();
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            batcher.execute(() -> ran.add("first"));
            batcher.execute(() -> {
                throw new IllegalStateException("boom");
            });
            batcher.execute(() -> ran.add("third"));
            handOvers.get(0).run();
        } finally {
            Thread.currentThread().setUncaughtExceptionHandler(previous);
        }

        assertThat(ran).containsExactly("first", "third");
        assertThat(reported).extracting(Throwable::getMessage).containsExactly("boom");
    }
}
