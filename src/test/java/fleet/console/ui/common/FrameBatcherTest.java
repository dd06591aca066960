package fleet.console.ui.common;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FrameBatcherTest {

    private final ManualFrames frames = new ManualFrames();
    private final List<List<Integer>> batches = new ArrayList<>();
    private final List<Long> overflows = new ArrayList<>();

    private FrameBatcher<Integer> batcher(int perFrame, int maxWaiting) {
        return new FrameBatcher<>(frames, perFrame, maxWaiting, batches::add, overflows::add);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void manyAddsBetweenTwoFramesArriveAsOneBatchInOrder() {
        FrameBatcher<Integer> batcher = batcher(1_000, 10_000);
        for (int i = 0; i < 100; i++) {
            batcher.addAll(range(i * 5, i * 5 + 5));
        }

        assertThat(frames.starts()).isEqualTo(1);
        frames.frame();

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsExactlyElementsOf(range(0, 500));
    }

    @Test
    void aFrameTakesAtMostItsShareAndFramesStopWhenNothingWaits() {
        FrameBatcher<Integer> batcher = batcher(100, 10_000);
        batcher.addAll(range(0, 250));

        assertThat(frames.drain()).isEqualTo(3);

        assertThat(batches).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(frames.running()).isFalse();
        batcher.addAll(range(250, 251));
        assertThat(frames.running()).isTrue();
    }

    @Test
    void whenTheScreenFallsBehindTheOldestWaitingItemsAreDroppedAndCountedFirst() {
        FrameBatcher<Integer> batcher = batcher(1_000, 100);
        batcher.addAll(range(0, 80));
        batcher.addAll(range(80, 180));

        frames.drain();

        assertThat(overflows).containsExactly(80L);
        assertThat(batches.get(0)).containsExactlyElementsOf(range(80, 180));
    }

    @Test
    void aClosedBatcherHandsNothingOver() {
        FrameBatcher<Integer> batcher = batcher(1_000, 100);
        batcher.addAll(range(0, 10));
        batcher.close();
        batcher.addAll(range(10, 20));

        frames.drain();

        assertThat(batches).isEmpty();
    }
}
