package journal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestFeedStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newClock()
	j := open(t, Config{Dir: t.TempDir(), Now: c.now})
	s := j.Feeds()
	at := time.Date(2025, 5, 12, 8, 0, 0, 0, time.UTC)
	wire := Feed{ID: "aa", URL: "https://wire.example.com/rss", Label: "Wire", AddedAt: at, Interval: 30 * time.Minute, ETag: `"e1"`, Seen: []string{"h1", "h2"}}
	if err := s.Add(ctx, wire, nil); err != nil {
		t.Fatal(err)
	}
	// check sees the feeds followed, and its refusal comes back as it is.
	refusal := errors.New("followed already")
	var saw []Feed
	err := s.Add(ctx, Feed{ID: "bb", URL: "https://wire.example.com/rss"}, func(followed []Feed) error { saw = followed; return refusal })
	if err != refusal || len(saw) != 1 || saw[0].URL != wire.URL || saw[0].ETag != `"e1"` {
		t.Errorf("refused add: %v, check saw %+v; want the refusal itself and the one feed", err, saw)
	}
	if err := s.Add(ctx, Feed{ID: "cc", URL: "https://valley.example.com/atom"}, nil); err != nil {
		t.Fatal(err)
	}

	// Save writes the polling state, keeps the newest items, and leaves
	// the URL, label and interval as stored.
	polled := wire
	polled.URL, polled.Label, polled.Interval = "https://elsewhere.example.com/", "Changed", time.Hour
	polled.Title, polled.ETag, polled.LastModified = "Wire News", `"e2"`, "Mon, 12 May 2025 08:00:00 GMT"
	polled.LastAttempt, polled.LastSuccess, polled.NextPoll = at.Add(time.Hour), at.Add(time.Hour), at.Add(2*time.Hour)
	polled.LastError, polled.Failures, polled.FailingSince = "server answered 500", 3, at
	polled.Seen = []string{"h1", "h2", "h3", "h4"}
	if err := s.Save(ctx, polled, 3); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := polled
	want.URL, want.Label, want.Interval = wire.URL, wire.Label, wire.Interval
	want.Seen = []string{"h2", "h3", "h4"}
	if len(got) != 2 || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("after save:\n got %+v\nwant %+v", got, want)
	}
	if got[1].ID != "cc" || !got[1].AddedAt.IsZero() || !got[1].NextPoll.IsZero() || got[1].Seen != nil {
		t.Errorf("a feed never polled: %+v; want zero times and no items", got[1])
	}

	// Remove takes the feed's items with it; saving it then is ErrFeedGone.
	gone, ok, err := s.Remove(ctx, func(f Feed) bool { return f.Label == "Wire" })
	if err != nil || !ok || gone.ID != "aa" {
		t.Fatalf("remove: %+v %v %v", gone, ok, err)
	}
	if _, ok, err := s.Remove(ctx, func(Feed) bool { return false }); ok || err != nil {
		t.Errorf("remove of nothing: %v %v", ok, err)
	}
	var items int
	if err := j.db.QueryRowContext(ctx, `SELECT count(*) FROM feed_items`).Scan(&items); err != nil || items != 0 {
		t.Errorf("%d items left after removing their feed (%v)", items, err)
	}
	if err := s.Save(ctx, polled, 10); !errors.Is(err, ErrFeedGone) {
		t.Errorf("save of a removed feed: %v, want ErrFeedGone", err)
	}
}

// TestMigrateFromFirstVersion opens a database a crisisbot without feeds
// wrote: it gains the feeds' tables and keeps its answers.
func TestMigrateFromFirstVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", dsn(filepath.Join(dir, dbName)))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{migrations[0], `PRAGMA user_version = 1`,
		`INSERT INTO answers (at, via, user_hash, question, answer, mode, refused, reason, latency_ms, nearest, nearest_title)
		VALUES (1, 'ask', '', 'q', 'a', 'extractive', 0, '', 1, '', '')`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	j := open(t, Config{Dir: dir, Retention: -1})
	var v, answers int
	if err := j.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Errorf("user_version %d (%v), want %d", v, err, len(migrations))
	}
	if err := j.db.QueryRowContext(ctx, `SELECT count(*) FROM answers`).Scan(&answers); err != nil || answers != 1 {
		t.Errorf("%d answers after the migration (%v), want 1", answers, err)
	}
	if err := j.Feeds().Add(ctx, Feed{ID: "aa", URL: "https://wire.example.com/rss"}, nil); err != nil {
		t.Errorf("add after the migration: %v", err)
	}
}

// TestFeedStoresOnOneDatabase adds feeds through two journals on one
// file at once: the write lock taken first makes each add's check and
// insert one step, so no add fails busy and the count cap holds.
func TestFeedStoresOnOneDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	a, b := open(t, Config{Dir: dir}).Feeds(), open(t, Config{Dir: dir}).Feeds()
	const max = 30
	capAt := func(followed []Feed) error {
		if len(followed) >= max {
			return errors.New("full")
		}
		return nil
	}
	errs := make(chan error, 2*25)
	for i, s := range []*FeedStore{a, b} {
		go func() {
			for n := range 25 {
				id := fmt.Sprintf("%d-%d", i, n)
				errs <- s.Add(ctx, Feed{ID: id, URL: "https://example.com/" + id}, capAt)
			}
		}()
	}
	var full int
	for range 2 * 25 {
		if err := <-errs; err != nil && err.Error() == "full" {
			full++
		} else if err != nil {
			t.Errorf("add: %v", err)
		}
	}
	got, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != max || full != 2*25-max {
		t.Errorf("%d feeds, %d refused as full; want %d and %d", len(got), full, max, 2*25-max)
	}
}
