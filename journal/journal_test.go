package journal

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/retrieval"
)

// clock is a settable time for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)} }

func open(tb testing.TB, cfg Config) *Journal {
	tb.Helper()
	j, err := Open(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { j.Close() })
	return j
}

func TestRecordAndFeedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c := newClock()
	j := open(t, Config{Dir: dir, Now: c.now})
	id, err := j.RecordAnswer(ctx, Answer{Via: "ask", User: "111122223333", Question: "Who spoke with Munir?", Text: "Rubio [1].", Mode: "extractive",
		Latency: 120 * time.Millisecond, Citations: []Citation{{N: 1, Article: "rubio-munir", Passage: "rubio-munir#0", Title: "Rubio calls"}}, Nearest: "rubio-munir", NearestTitle: "Rubio calls"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		user     string
		vote     Vote
		wantPrev Vote
	}{
		{"first press", "u1", Up, 0},
		{"second press changes it", "u1", Down, Up},
		{"same vote again", "u1", Down, Down},
		{"another user", "u2", Up, 0},
	}
	for _, tt := range tests {
		prev, err := j.SetFeedback(ctx, id, tt.user, tt.vote)
		if err != nil || prev != tt.wantPrev {
			t.Errorf("%s: SetFeedback = %v, %v; want %v, nil", tt.name, prev, err, tt.wantPrev)
		}
	}
	st, err := j.Stats(ctx, c.now().Add(-time.Hour), c.now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if st.Up != 1 || st.Down != 1 || st.Questions != 1 {
		t.Errorf("stats %+v, want 1 question, one 👍 (u2) and one 👎 (u1's second press)", st)
	}
	if _, err := j.SetFeedback(ctx, id+100, "u1", Up); !errors.Is(err, ErrUnknownAnswer) {
		t.Errorf("feedback on an unknown answer: %v, want ErrUnknownAnswer", err)
	}

	// Nothing stored holds a user ID in the clear.
	j.Close()
	raw, err := os.ReadFile(filepath.Join(dir, dbName))
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(filepath.Join(dir, dbName+"-wal"))
	for _, id := range []string{"111122223333", "u1", "u2"} {
		if strings.Contains(string(raw)+string(wal), id) {
			t.Errorf("the database holds user ID %q in the clear", id)
		}
	}
}

func TestUserHashKeyed(t *testing.T) {
	t.Parallel()
	a := open(t, Config{Dir: t.TempDir()})
	b := open(t, Config{Dir: t.TempDir()})
	if a.hashUser("42") == b.hashUser("42") {
		t.Error("two journals hash a user alike: the hash is not keyed")
	}
	dir := t.TempDir()
	first := open(t, Config{Dir: dir})
	h := first.hashUser("42")
	first.Close()
	again := open(t, Config{Dir: dir})
	if again.hashUser("42") != h {
		t.Error("the key changed on reopening: earlier votes would not be recognised")
	}
	fi, err := os.Stat(filepath.Join(dir, keyName))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestKeyPermissionsTightened(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	open(t, Config{Dir: dir}).Close()
	path := filepath.Join(dir, keyName)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	open(t, Config{Dir: dir})
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v after reopening, want 0600", fi.Mode().Perm())
	}
}

func TestBadKeyRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, keyName), []byte("not hex"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Config{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), keyName) {
		t.Errorf("Open with a broken key: %v, want an error naming the key file", err)
	}
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	j := open(t, Config{Dir: dir})
	var v int
	if err := j.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("user_version %d (%v), want %d", v, err, len(migrations))
	}
	var mode string
	if err := j.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q (%v), want wal", mode, err)
	}
	// Reopening migrates nothing twice.
	j.Close()
	j = open(t, Config{Dir: dir})
	// A database from a newer crisisbot is refused, not altered.
	if _, err := j.db.ExecContext(ctx, `PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	j.Close()
	if _, err := Open(ctx, Config{Dir: dir}); !errors.Is(err, ErrNewerSchema) {
		t.Errorf("Open of a newer schema: %v, want ErrNewerSchema", err)
	}
}

// TestConcurrentOpenOfNewDatabase opens one new database from several
// journals at once, as serve and "crisisbot feeds" started together do:
// SQLite refuses a switch to WAL at once, busy, while another connection
// is making the same switch, and every open must still succeed, in WAL,
// with the newest schema.
func TestConcurrentOpenOfNewDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const rounds, openers = 20, 4
	for range rounds {
		dir := t.TempDir()
		errs := make([]error, openers)
		var wg sync.WaitGroup
		for i := range openers {
			wg.Go(func() {
				j, err := Open(ctx, Config{Dir: dir})
				if err == nil {
					j.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("opener %d of %d: %v", i+1, openers, err)
			}
		}
		j := open(t, Config{Dir: dir})
		var mode string
		var v int
		if err := j.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode %q (%v), want wal", mode, err)
		}
		if err := j.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil || v != len(migrations) {
			t.Errorf("user_version %d (%v), want %d", v, err, len(migrations))
		}
		j.Close()
	}
}

func TestRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newClock()
	dir := t.TempDir()
	j := open(t, Config{Dir: dir, Now: c.now, Retention: 48 * time.Hour})
	old, err := j.RecordAnswer(ctx, Answer{Question: "old?", Citations: []Citation{{N: 1, Article: "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.SetFeedback(ctx, old, "u", Down); err != nil {
		t.Fatal(err)
	}
	if err := j.RecordAction(ctx, Action{User: "m", Kind: "reload", Detail: "ok"}); err != nil {
		t.Fatal(err)
	}
	c.advance(47 * time.Hour)
	recent, err := j.RecordAnswer(ctx, Answer{Question: "recent?"})
	if err != nil {
		t.Fatal(err)
	}
	c.advance(2 * time.Hour) // old is 49 hours old, recent 2
	n, err := j.Prune(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1 answer deleted", n, err)
	}
	if _, err := j.SetFeedback(ctx, old, "u", Up); !errors.Is(err, ErrUnknownAnswer) {
		t.Errorf("feedback on an expired answer: %v, want ErrUnknownAnswer", err)
	}
	if _, err := j.SetFeedback(ctx, recent, "u", Up); err != nil {
		t.Errorf("feedback on a kept answer: %v", err)
	}
	for table, want := range map[string]int{"answers": 1, "citations": 0, "feedback": 1, "actions": 0} {
		var got int
		if err := j.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&got); err != nil || got != want {
			t.Errorf("%s: %d rows (%v), want %d", table, got, err, want)
		}
	}
}

func TestOpenUnwritable(t *testing.T) {
	t.Parallel()
	// A directory where the database file should be: no permission bits
	// stop root, this stops everyone.
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, dbName), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), Config{Dir: dir}); err == nil {
		t.Fatal("Open succeeded with a directory in the database's place")
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newClock()
	j := open(t, Config{Dir: t.TempDir(), Now: c.now})
	// Two days: day one 3 questions (1 refused), day two 2 (both refused).
	lat := []time.Duration{100, 200, 300, 400, 1000}
	for n, refused := range []bool{false, false, true, true, true} {
		if n == 3 {
			c.advance(24 * time.Hour)
		}
		a := Answer{Question: "q", Refused: refused, Latency: lat[n] * time.Millisecond}
		if !refused {
			a.Citations = []Citation{{N: 1, Article: "x", Title: "X"}, {N: 2, Article: "y", Title: "Y"}}
			if n == 1 {
				a.Citations = a.Citations[:1]
			}
		}
		id, err := j.RecordAnswer(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			j.SetFeedback(ctx, id, "a", Up)
			j.SetFeedback(ctx, id, "b", Down)
			j.SetFeedback(ctx, id, "c", Up)
		}
	}
	from := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	st, err := j.Stats(ctx, from, from.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if st.Questions != 5 || st.Refused != 3 || st.Up != 2 || st.Down != 1 {
		t.Errorf("stats %+v, want 5 questions, 3 refused, 2 👍, 1 👎", st)
	}
	if len(st.Days) != 2 || st.Days[0].Questions != 3 || st.Days[1].Refused != 2 || !st.Days[0].Day.Equal(time.Date(2025, 5, 12, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("days %+v, want 12 May: 3 (1 refused), 13 May: 2 (2 refused)", st.Days)
	}
	if st.Median != 300*time.Millisecond || st.P95 != time.Second {
		t.Errorf("median %v, p95 %v; want 300ms and 1s", st.Median, st.P95)
	}
	if len(st.Cited) != 2 || st.Cited[0].Article != "x" || st.Cited[0].Answers != 2 || st.Cited[1].Answers != 1 {
		t.Errorf("cited %+v, want x (2 answers) then y (1)", st.Cited)
	}
	// A period with nothing in it.
	empty, err := j.Stats(ctx, from.AddDate(-1, 0, 0), from)
	if err != nil || empty.Questions != 0 || empty.Median != 0 || empty.RefusalRate() != 0 {
		t.Errorf("empty period: %+v, %v", empty, err)
	}
}

func TestNearestRank(t *testing.T) {
	t.Parallel()
	twenty := make([]int64, 20)
	for i := range twenty {
		twenty[i] = int64(i + 1)
	}
	tests := []struct {
		vals []int64
		pct  int
		want int64
	}{
		{nil, 50, 0},
		{[]int64{7}, 95, 7},
		{[]int64{1, 2}, 50, 1},
		{[]int64{1, 2, 3}, 50, 2},
		{twenty, 95, 19},
		{twenty, 50, 10},
	}
	for _, tt := range tests {
		if got := nearestRank(tt.vals, tt.pct); got != tt.want {
			t.Errorf("nearestRank(%v, %d) = %d, want %d", tt.vals, tt.pct, got, tt.want)
		}
	}
}

// similarityTable loads the built-in word-similarity table once.
var similarityTable = sync.OnceValues(retrieval.LoadSimilarity)

func TestGapsGrouping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sim, err := similarityTable()
	if err != nil {
		t.Fatal(err)
	}
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		t.Fatal(err)
	}
	c := newClock()
	j := open(t, Config{Dir: t.TempDir(), Now: c.now, Similarity: sim, Ranks: ranks})
	record := func(q string, refused bool, nearest string) int64 {
		t.Helper()
		c.advance(time.Minute)
		id, err := j.RecordAnswer(ctx, Answer{Question: q, Refused: refused, Reason: map[bool]string{true: "no source says"}[refused], Nearest: nearest, NearestTitle: strings.ToUpper(nearest)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	// Questions made up for this test, about nothing in any corpus.
	record("How many goats live on the Moon?", true, "space")
	record("how many goats live on the moon", true, "space")
	record("What number of goats reside on the Moon?", true, "space")
	record("How many lunar goats are there?", true, "")
	record("Who painted the stadium in Lahore blue?", true, "lahore")
	answered := record("Who won the cricket final in Lahore?", false, "cricket")
	record("Who won the football final in Karachi?", false, "football") // answered, no 👎: no gap
	if _, err := j.SetFeedback(ctx, answered, "u", Down); err != nil {
		t.Fatal(err)
	}
	c.advance(time.Hour)
	gaps, err := j.Gaps(ctx, c.now().Add(-7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(gaps) < 2 {
		t.Fatalf("%d gaps, want the goats grouped and the rest apart: %+v", len(gaps), gaps)
	}
	goats := gaps[0]
	if goats.Asked < 3 || goats.Nearest != "space" || goats.NearestTitle != "SPACE" || goats.Wordings[0].Count != 2 || goats.Refused != goats.Asked {
		t.Errorf("first gap %+v, want the goat questions (the same text twice first), nearest space", goats)
	}
	var seen []string
	for _, g := range gaps {
		for _, w := range g.Wordings {
			seen = append(seen, w.Text)
		}
		if g.Asked == 1 && strings.Contains(g.Wordings[0].Text, "cricket") && g.Down != 1 {
			t.Errorf("the 👎 answer's gap %+v, want Down 1", g)
		}
	}
	joined := strings.Join(seen, "|")
	if strings.Contains(joined, "football") {
		t.Error("an answered question without a 👎 is listed as a gap")
	}
	if !strings.Contains(joined, "cricket") {
		t.Error("an answered question with a 👎 is missing from the gaps")
	}
	for _, g := range gaps {
		texts := ""
		for _, w := range g.Wordings {
			texts += w.Text
		}
		if strings.Contains(texts, "goats") && strings.Contains(texts, "stadium") {
			t.Errorf("unrelated questions grouped: %+v", g)
		}
	}
	// The window leaves older questions out.
	if gaps, _ := j.Gaps(ctx, c.now()); len(gaps) != 0 {
		t.Errorf("gaps since now: %+v, want none", gaps)
	}
}

// crashChildEnv names the directory the crash test's child process writes
// into; set only in the child.
const crashChildEnv = "CRISISBOT_JOURNAL_CRASH_DIR"

// TestCrashChild is the child process of TestCrashDuringWrites: it writes
// answers, each with citations and feedback, and prints each committed ID
// until killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("run by TestCrashDuringWrites")
	}
	ctx := context.Background()
	j, err := Open(ctx, Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; ; n++ {
		id, err := j.RecordAnswer(ctx, Answer{Question: strings.Repeat("why ", n%50) + "?", Text: strings.Repeat("because ", 200),
			Citations: []Citation{{N: 1, Article: "a", Passage: "a#0"}, {N: 2, Article: "b", Passage: "b#1"}}})
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("committed " + strconv.FormatInt(id, 10) + "\n")
	}
}

// scanCommitted sends the IDs of the child's "committed N" lines, and
// closes lines when its output ends.
func scanCommitted(r io.Reader, lines chan<- int64) {
	defer close(lines)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				lines <- id
			}
		}
	}
}

// TestCrashDuringWrites kills a process writing to the journal, several
// times, and checks after each kill that the database opens, passes
// SQLite's integrity check, and holds every answer the child reported
// committed, each whole (both citations).
func TestCrashDuringWrites(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for round := range 3 {
		committed := runUntilKilled(t, exe, dir, time.Duration(150+100*round)*time.Millisecond)
		if committed == 0 {
			t.Fatalf("round %d: the child committed nothing before it was killed", round)
		}
		j, err := Open(context.Background(), Config{Dir: dir})
		if err != nil {
			t.Fatalf("round %d: open after a kill: %v", round, err)
		}
		var check string
		if err := j.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("round %d: integrity check %q, %v", round, check, err)
		}
		var missing, partial int
		j.db.QueryRow(`SELECT ? - COUNT(*) FROM answers WHERE id <= ?`, committed, committed).Scan(&missing)
		j.db.QueryRow(`SELECT COUNT(*) FROM answers a WHERE (SELECT COUNT(*) FROM citations c WHERE c.answer_id = a.id) != 2`).Scan(&partial)
		if missing != 0 || partial != 0 {
			t.Errorf("round %d: %d of the %d committed answers missing, %d answers without both citations", round, missing, committed, partial)
		}
		j.Close()
		t.Logf("round %d: %d answers committed before the kill, all there", round, committed)
	}
}

// runUntilKilled runs the child for about d, kills it with SIGKILL and
// returns the highest ID it reported committed.
func runUntilKilled(t *testing.T, exe, dir string, d time.Duration) int64 {
	t.Helper()
	cmd := exec.Command(exe, "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan int64, 1024)
	go scanCommitted(out, lines)
	// Kill only once writes are under way, so the kill lands mid-write.
	var last int64
	select {
	case last = <-lines:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child wrote nothing in 30s")
	}
	time.Sleep(d)
	cmd.Process.Kill()
	cmd.Wait()
	for id := range lines {
		last = max(last, id)
	}
	return last
}

// TestGapsWithoutTables groups by stems and misspellings alone when no
// similarity table or ranks are given.
func TestGapsWithoutTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newClock()
	j := open(t, Config{Dir: t.TempDir(), Now: c.now})
	for _, q := range []string{"When did the ceasefire begin?", "When did the ceasfire begin?", "When was the ceasefire beginning?", "Who bombed the bridge?", "?", "?"} {
		if _, err := j.RecordAnswer(ctx, Answer{Question: q, Refused: true}); err != nil {
			t.Fatal(err)
		}
	}
	gaps, err := j.Gaps(ctx, c.now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, g := range gaps {
		sizes = append(sizes, g.Asked)
	}
	if len(gaps) != 3 || gaps[0].Asked != 3 || gaps[1].Asked != 2 || gaps[1].Wordings[0].Text != "?" {
		t.Errorf("groups of %v, want the three ceasefire questions (one misspelt), the two bare question marks, the bridge", sizes)
	}
}
