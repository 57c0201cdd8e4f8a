package bot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/atomicfile"
)

// What the bot keeps in the data directory, so a restart loses neither a
// thread's follow-ups nor the buttons on its messages:
//
//	<data>/discord/threads/<thread ID>.json   one thread's last turns
//	<data>/discord/buttons.json              the actions behind buttons
//
// A thread has a file of its own, so recording a turn rewrites a few
// kilobytes, not every thread; the files mirror the in-memory cache, which
// bounds them (HistoryTurns per thread, MaxThreads threads, a week idle).
// Buttons are few (moderators make them) and short-lived: one file.
const (
	stateDirName   = "discord"
	threadsDirName = "threads"
	buttonsName    = "buttons.json"
)

// persistState is where the bot's state lives on disk, when it does.
type persistState struct {
	stateDir   string // <data>/discord; "" keeps the state in memory only
	threadsDir string // <data>/discord/threads
	// saveMu serialises the writes to the state directory.
	saveMu sync.Mutex
	// forgotThreads are the threads the cache forgot whose files are yet
	// to go; guarded by Discord.mu, as the cache is.
	forgotThreads []string
}

// snowflakeRE matches a Discord ID, the only thing a thread's file is
// named after.
var snowflakeRE = regexp.MustCompile(`^[0-9]{1,20}$`)

// threadFile is one thread's history on disk.
type threadFile struct {
	Thread string      `json:"thread"`
	Used   time.Time   `json:"used"`
	Turns  []savedTurn `json:"turns"`
}

type savedTurn struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// buttonsFile is the actions behind the buttons on disk.
type buttonsFile struct {
	Buttons []savedButton `json:"buttons"`
}

type savedButton struct {
	Key     string          `json:"key"`
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Removed *corpus.Removed `json:"removed,omitempty"`
	Stashed time.Time       `json:"stashed"`
}

// writeAtomic replaces dir/name with data, so a crash leaves the old file
// or the new one, never half of one.
func writeAtomic(dir, name string, data []byte) error {
	tmp, err := atomicfile.WriteTemp(dir, "."+name+".*.tmp", 0o600, bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("save %s: %w", filepath.Join(dir, name), err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save %s: %w", filepath.Join(dir, name), err)
	}
	return atomicfile.SyncDir(dir)
}

// openState prepares the state directory and loads what an earlier run
// left there. Without a data directory the bot keeps its state in memory
// only; when the directory cannot be made, it says so and does the same,
// rather than refusing to serve.
func (d *Discord) openState() {
	if d.cfg.DataDir == "" {
		return
	}
	dir := filepath.Join(d.cfg.DataDir, stateDirName)
	threads := filepath.Join(dir, threadsDirName)
	if err := os.MkdirAll(threads, 0o700); err != nil {
		d.log.Warn("thread histories and buttons will not survive a restart: cannot create their directory", "dir", threads, "err", err)
		return
	}
	d.stateDir, d.threadsDir = dir, threads
	d.threads.forgot = func(id string) { d.forgotThreads = append(d.forgotThreads, id) }
	d.loadThreads()
	d.loadButtons()
}

// loadThreads fills the thread cache from disk, oldest first so the cache
// orders them as they were used. A file that cannot be read is set aside
// as <name>.bad, with a warning, and the rest load.
func (d *Discord) loadThreads() {
	entries, err := os.ReadDir(d.threadsDir)
	if err != nil {
		d.log.Warn("cannot read the saved thread histories", "dir", d.threadsDir, "err", err)
		return
	}
	now := d.now()
	var loaded []threadFile
	for _, e := range entries {
		name := e.Name()
		id, ok := strings.CutSuffix(name, ".json")
		if !ok || !snowflakeRE.MatchString(id) || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(d.threadsDir, name)
		var tf threadFile
		data, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(data, &tf)
		}
		if err == nil && tf.Thread != id {
			err = fmt.Errorf("it holds thread %q", tf.Thread)
		}
		if err != nil {
			d.log.Warn("saved thread history unreadable; set aside", "file", path, "err", err)
			_ = os.Rename(path, path+".bad")
			continue
		}
		if now.Sub(tf.Used) >= threadIdle {
			_ = os.Remove(path)
			continue
		}
		loaded = append(loaded, tf)
	}
	slices.SortFunc(loaded, func(a, b threadFile) int { return a.Used.Compare(b.Used) })
	d.mu.Lock()
	for _, tf := range loaded {
		turns := make([]answer.Turn, 0, len(tf.Turns))
		for _, t := range tf.Turns {
			turns = append(turns, answer.Turn{Question: clip(t.Question, d.cfg.MaxQuestionLen), Answer: clip(t.Answer, historyAnswerLimit)})
		}
		if len(turns) > d.cfg.HistoryTurns {
			turns = turns[len(turns)-d.cfg.HistoryTurns:]
		}
		d.threads.put(tf.Thread, turns, tf.Used)
	}
	d.mu.Unlock()
	if len(loaded) > 0 {
		d.log.Info("thread histories restored", "threads", len(loaded))
	}
	// Threads past the cache's bounds now were forgotten while loading.
	d.saveThread("")
}

// saveThread writes thread's history (or removes its file, when the cache
// no longer holds it) and removes the files of the threads the cache has
// forgotten since. Writes are serialised, and each writes the state at the
// time it runs, so the last file written is the latest state.
func (d *Discord) saveThread(thread string) {
	if d.threadsDir == "" {
		return
	}
	d.saveMu.Lock()
	defer d.saveMu.Unlock()
	d.mu.Lock()
	forgotten := d.forgotThreads
	d.forgotThreads = nil
	var tf *threadFile
	if thread != "" {
		if turns, ok := d.threads.peek(thread, d.now()); ok {
			tf = &threadFile{Thread: thread, Used: d.now()}
			for _, t := range turns {
				tf.Turns = append(tf.Turns, savedTurn{Question: t.Question, Answer: t.Answer})
			}
		} else {
			forgotten = append(forgotten, thread)
		}
	}
	// A thread forgotten and then remembered again keeps its file.
	forgotten = slices.DeleteFunc(forgotten, func(id string) bool {
		_, kept := d.threads.peek(id, d.now())
		return kept
	})
	d.mu.Unlock()
	for _, id := range forgotten {
		if !snowflakeRE.MatchString(id) {
			continue
		}
		if err := os.Remove(filepath.Join(d.threadsDir, id+".json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			d.log.Warn("cannot remove a forgotten thread's history", "thread", id, "err", err)
		}
	}
	if tf == nil || !snowflakeRE.MatchString(thread) {
		return
	}
	data, err := json.Marshal(tf)
	if err == nil {
		err = writeAtomic(d.threadsDir, thread+".json", data)
	}
	if err != nil {
		d.log.Warn("thread history not saved; a restart will forget it", "thread", thread, "err", err)
	}
}

// loadButtons restores the actions behind buttons that have not expired.
func (d *Discord) loadButtons() {
	path := filepath.Join(d.stateDir, buttonsName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	var bf buttonsFile
	if err == nil {
		err = json.Unmarshal(data, &bf)
	}
	if err != nil {
		d.log.Warn("saved buttons unreadable; set aside, and their buttons will say they expired", "file", path, "err", err)
		_ = os.Rename(path, path+".bad")
		return
	}
	slices.SortFunc(bf.Buttons, func(a, b savedButton) int { return a.Stashed.Compare(b.Stashed) })
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, b := range bf.Buttons {
		if b.Key == "" || now.Sub(b.Stashed) >= pendingTTL {
			continue
		}
		p := pendingAction{kind: b.Kind, id: b.ID}
		if b.Removed != nil {
			p.removed = *b.Removed
		}
		d.pending.put(b.Key, p, b.Stashed)
	}
}

// saveButtons writes the actions behind the buttons now pending.
func (d *Discord) saveButtons() {
	if d.stateDir == "" {
		return
	}
	d.saveMu.Lock()
	defer d.saveMu.Unlock()
	bf := buttonsFile{Buttons: []savedButton{}}
	d.mu.Lock()
	d.pending.expire(d.now())
	d.pending.each(func(key string, p pendingAction, stashed time.Time) {
		b := savedButton{Key: key, Kind: p.kind, ID: p.id, Stashed: stashed}
		if p.removed != (corpus.Removed{}) {
			r := p.removed
			b.Removed = &r
		}
		bf.Buttons = append(bf.Buttons, b)
	})
	d.mu.Unlock()
	data, err := json.Marshal(bf)
	if err == nil {
		err = writeAtomic(d.stateDir, buttonsName, data)
	}
	if err != nil {
		d.log.Warn("buttons not saved; after a restart they will say they expired", "err", err)
	}
}
