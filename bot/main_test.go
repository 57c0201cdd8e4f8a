package bot

import (
	"flag"
	"testing"
)

// testParallel is how many tests run at once unless -parallel says
// otherwise. The Discord tests mostly wait — discordgo's Session.Close
// sleeps a second, the fakes answer over loopback — rather than compute, so
// running only as many as there are cores (go test's default) would leave
// the cores idle.
const testParallel = "8"

func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		if err := flag.Set("test.parallel", testParallel); err != nil {
			panic(err)
		}
	}
	// Every Discord test waits for Discord's OpenAPI document (5 s to load)
	// and the LLM tests for OpenAI's (11 s). When every test runs, load both
	// from the start, while the first tests run, instead of when a test
	// first asks; a run of chosen tests loads only what they ask for.
	if prefetching() {
		go discordSpec()
		go openAISpec()
	}
	m.Run()
}

// prefetching reports whether TestMain loads the OpenAPI documents in the
// background: when no -run chooses the tests.
func prefetching() bool {
	f := flag.Lookup("test.run")
	return f != nil && f.Value.String() == ""
}

// waitPrefetch waits for the documents TestMain is loading, for a test that
// counts goroutines: a load under way starts goroutines of its own.
func waitPrefetch() {
	if prefetching() {
		discordSpec()
		openAISpec()
	}
}
