// Package editor changes the corpus directory on a moderator's behalf and
// re-indexes after each change. Discord's /add and /remove and the CLI's add
// and remove all go through it, so there is one path for each edit.
package editor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/retrieval"
)

// ErrNotReindexed is wrapped by the error of a change that was made — the
// article saved, moved to the trash or put back — when re-indexing after it
// failed: the change stands, and answers catch up at the next reload.
var ErrNotReindexed = errors.New("re-index failed")

// Editor changes the corpus directory on a moderator's behalf — adding an
// article fetched from a URL or handed over as a file, removing one to the
// trash, undoing either — and re-indexes after each change.
type Editor struct {
	store   *corpus.Store
	fetcher *fetch.Fetcher
	lib     Reloader
}

// Reloader rebuilds the index from the corpus directory; [retrieval.Library]
// is one, and so is a [ReloadFunc].
type Reloader interface {
	Reload(ctx context.Context) (retrieval.Report, error)
}

// ReloadFunc is a function that rebuilds the index, as a [Reloader]: the
// CLI opens the index only after its one change.
type ReloadFunc func(ctx context.Context) (retrieval.Report, error)

// Reload calls f.
func (f ReloadFunc) Reload(ctx context.Context) (retrieval.Report, error) { return f(ctx) }

// Added is what an add did: the article as the corpus reads it back, and
// the re-index that followed.
type Added struct {
	Article corpus.Article
	Report  retrieval.Report
	// Canonical is the address a fetched page claimed on another site, not
	// recorded (see [corpus.Page.Canonical]); "" when there was none.
	Canonical string
}

// New returns an editor that writes through store, fetches with
// fetcher and reloads lib after every change.
func New(store *corpus.Store, fetcher *fetch.Fetcher, lib Reloader) (*Editor, error) {
	if store == nil || fetcher == nil || lib == nil {
		return nil, errors.New("editor: a store, a fetcher and a library are required")
	}
	return &Editor{store: store, fetcher: fetcher, lib: lib}, nil
}

// AddURL fetches the page at rawURL, saves its article attributed to by,
// and re-indexes. A failed fetch or extraction changes nothing on disk.
// When the article was saved but re-indexing failed, the error comes with
// the saved article.
func (e *Editor) AddURL(ctx context.Context, rawURL, by string) (Added, error) {
	page, err := e.fetcher.Fetch(ctx, rawURL)
	if err != nil {
		return Added{}, fmt.Errorf("add: %w", err)
	}
	return e.add(ctx, page, by)
}

// AddFile downloads an attachment named name from fileURL, reads it as a
// .md, .txt or .html article, saves it attributed to by, and re-indexes,
// as [Editor.AddUpload] does.
func (e *Editor) AddFile(ctx context.Context, name, fileURL, by string) (Added, error) {
	data, _, err := e.fetcher.Download(ctx, fileURL)
	if err != nil {
		return Added{}, fmt.Errorf("add: %w", err)
	}
	return e.AddUpload(ctx, name, data, by)
}

// AddUpload reads data, a file named name, as a .md, .txt or .html
// article (see [corpus.ParseUpload]), saves it attributed to by, and
// re-indexes.
func (e *Editor) AddUpload(ctx context.Context, name string, data []byte, by string) (Added, error) {
	page, err := corpus.ParseUpload(name, data)
	if err != nil {
		return Added{}, fmt.Errorf("add: %w", err)
	}
	return e.add(ctx, page, by)
}

// add saves page's article and re-indexes. Errors of the store come as
// they are: they start "add: " already.
func (e *Editor) add(ctx context.Context, page corpus.Page, by string) (Added, error) {
	na := page.Article()
	na.AddedBy = by
	a, err := e.store.Add(ctx, na)
	if err != nil {
		return Added{}, err
	}
	rep, err := e.reload(ctx, "The article was saved")
	return Added{Article: a, Report: rep, Canonical: page.Canonical}, err
}

// Label sets outlet's origin in the corpus's sources.yaml (see
// [corpus.Store.SetOrigin]) and re-indexes, so citations show it. It
// returns the label the outlet had before, or "".
func (e *Editor) Label(ctx context.Context, outlet, origin string) (string, retrieval.Report, error) {
	prev, err := e.store.SetOrigin(outlet, origin)
	if err != nil {
		return "", retrieval.Report{}, err
	}
	rep, err := e.reload(ctx, "The label was saved")
	return prev, rep, err
}

// Remove moves an article's file to the trash and re-indexes. When the
// file was moved but re-indexing failed, the error comes with the
// [corpus.Removed] that undoes it.
func (e *Editor) Remove(ctx context.Context, id string) (corpus.Removed, retrieval.Report, error) {
	r, err := e.store.Remove(id)
	if err != nil {
		return corpus.Removed{}, retrieval.Report{}, err
	}
	rep, err := e.reload(ctx, "The article was moved to the trash")
	return r, rep, err
}

// Restore puts a removed article back and re-indexes. An error wrapping
// [ErrNotReindexed] means the article is back but not yet indexed.
func (e *Editor) Restore(ctx context.Context, r corpus.Removed) (retrieval.Report, error) {
	if err := e.store.Restore(r); err != nil {
		return retrieval.Report{}, err
	}
	return e.reload(ctx, "The article was put back")
}

// reload re-indexes after a change, waiting for a reload already under way
// (it may have read the directory before the change) to finish first. done
// says for people what the change did, for the message of a failure.
func (e *Editor) reload(ctx context.Context, done string) (retrieval.Report, error) {
	for {
		rep, err := e.lib.Reload(ctx)
		if !errors.Is(err, retrieval.ErrReloadInProgress) {
			if err != nil {
				return rep, usererr.Wrap(fmt.Errorf("%w: %w", ErrNotReindexed, err),
					done+", but re-indexing failed, so answers do not reflect it yet; /reload tries again.")
			}
			return rep, nil
		}
		t := time.NewTimer(100 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return rep, usererr.Wrap(fmt.Errorf("%w: waiting for the reload under way: %w", ErrNotReindexed, ctx.Err()),
				done+", but a reload under way took too long to finish, so answers do not reflect it yet; /reload tries again.")
		case <-t.C:
		}
	}
}
