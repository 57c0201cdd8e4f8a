package bot

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/retrieval"
)

// memoryBound is what 100,000 distinct threads, users and buttons may add
// to the heap, with the default limits: about 8 MiB of thread histories,
// 20,000 users' buckets at some 250 bytes, 1,000 buttons, and slack.
const memoryBound = 24 << 20

// memoryChildEnv marks the process TestMemoryBounded starts to measure in.
const memoryChildEnv = "CRISISBOT_TEST_MEMORY_CHILD"

// TestMemoryBounded is issue 9.6: what the bot remembers per thread, per
// user and per button grew without bound. It opens 100,000 threads (each
// with a turn of a 100-character question and a 1,000-character answer),
// rate-limits 100,000 users and stashes 100,000 buttons, and checks the
// heap after a collection. It measures in a process of its own, so the
// other tests' allocations do not count.
func TestMemoryBounded(t *testing.T) {
	if os.Getenv(memoryChildEnv) == "" {
		t.Parallel()
		cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryBounded$", "-test.v")
		cmd.Env = append(os.Environ(), memoryChildEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("measuring process: %v\n%s", err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "heap grew") {
				t.Log(strings.TrimSpace(line))
			}
		}
		return
	}
	s, err := discordgo.New("Bot " + testToken)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDiscord(DiscordConfig{AnyGuild: true}, s, &stubAnswerer{}, emptyLibrary{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	question := strings.Repeat("q", 100)
	answerText := strings.Repeat("a", 1000)
	var first, last string
	before := heapInUse()
	const n = 100_000
	for i := range n {
		thread := fmt.Sprint(1500000000000000000 + i)
		d.rememberThread(thread)
		d.recordTurn(thread, answer.Turn{Question: question + thread, Answer: answerText + thread})
		d.limiter.allow(fmt.Sprint(1600000000000000000 + i))
		key := d.stash(pendingAction{kind: "undo-add", id: "article-" + thread})
		if i == 0 {
			first = key
		}
		last = key
	}
	after := heapInUse()
	grew := int64(after) - int64(before)
	t.Logf("heap grew %.1f MiB for %d threads, users and buttons (bound %d MiB)", float64(grew)/(1<<20), n, memoryBound>>20)
	if grew > memoryBound {
		t.Errorf("heap grew %d bytes, over the bound of %d", grew, memoryBound)
	}
	// What is kept is the most recent, and it still works.
	if h, ok := d.threadHistory(fmt.Sprint(1500000000000000000 + n - 1)); !ok || len(h) != 1 {
		t.Errorf("the latest thread's history is %v, %v; want its one turn", h, ok)
	}
	if _, ok := d.threadHistory("1500000000000000000"); ok {
		t.Error("the first of 100,000 threads is still remembered")
	}
	if _, ok := d.take(last, "undo-add"); !ok {
		t.Error("the latest button has expired")
	}
	if _, ok := d.take(first, "undo-add"); ok {
		t.Error("the first of 100,000 buttons is still remembered")
	}
	runtime.KeepAlive(d)
}

// heapInUse returns the bytes of live heap objects after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// emptyLibrary has no index and reloads to nothing.
type emptyLibrary struct{}

func (emptyLibrary) Current() *retrieval.Index { return nil }

func (emptyLibrary) Reload(context.Context) (retrieval.Report, error) {
	return retrieval.Report{}, nil
}
