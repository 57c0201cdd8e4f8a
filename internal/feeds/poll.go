package feeds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/retrieval"
)

// feedAccept is the Accept header of a feed request.
const feedAccept = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"

// Report is what one poll did.
type Report struct {
	// Polled is how many feeds were fetched, and NotModified how many of
	// them answered 304.
	Polled, NotModified int
	// Arrived are the articles saved, feed by feed, in each feed's order.
	Arrived []Arrival
	// Skipped are new items not saved, and why.
	Skipped []Skip
	// Failed are the feeds whose fetch or parse failed.
	Failed []Failure
	// Reloaded reports whether the index was rebuilt, and Index how.
	Reloaded bool
	Index    retrieval.Report
}

// Arrival is an article a poll saved.
type Arrival struct {
	Feed    string // the feed's URL
	Article corpus.Article
	// SummaryOnly reports an article that is its feed's summary, its page
	// having failed to arrive.
	SummaryOnly bool
}

// Skip is a new item a poll did not save.
type Skip struct {
	Feed   string // the feed's URL
	Link   string
	Title  string
	Reason string // for people
}

// Failure is a feed a poll could not read.
type Failure struct {
	Feed         Feed // as saved after the failure
	Err          error
	FailingSince time.Time
}

// Poll polls the feeds that are due — every feed when all is set — takes
// their new items into the corpus and, when it saved any, re-indexes once.
// The state is saved after each feed. The error is for the
// re-index or the state; a feed's own failure is in
// [Report.Failed] and its [Feed.LastError].
func (s *Service) Poll(ctx context.Context, all bool) (Report, error) {
	s.pollMu.Lock()
	defer s.pollMu.Unlock()
	unlockPoll, err := lock(ctx, s.pollLock)
	if err != nil {
		return Report{}, fmt.Errorf("feeds poll: %w", err)
	}
	defer unlockPoll()
	list, err := s.state.Load(ctx)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	now := s.now()
	for i := range list {
		f := &list[i]
		if ctx.Err() != nil {
			break
		}
		if !all && now.Before(f.NextPoll) {
			continue
		}
		rep.Polled++
		s.pollFeed(ctx, f, &rep)
		// Only this feed's state is written, over what is stored now: a
		// feed added, edited or removed meanwhile, by this process or
		// another, stays as that change left it.
		if err := s.state.Save(context.WithoutCancel(ctx), *f); err != nil {
			return rep, err
		}
	}
	if len(rep.Arrived) == 0 {
		return rep, ctx.Err()
	}
	rep.Index, err = s.reload(ctx)
	rep.Reloaded = err == nil
	return rep, err
}

// pollFeed polls one feed, updating f and adding to rep.
func (s *Service) pollFeed(ctx context.Context, f *Feed, rep *Report) {
	log := s.log.With("feed", f.URL)
	items, notModified, err := s.fetchFeed(ctx, f)
	now := s.now().UTC().Truncate(time.Second)
	f.LastAttempt = now
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		if f.Failures == 0 {
			f.FailingSince = now
		}
		f.Failures++
		f.LastError = err.Error()
		s.schedule(f, now)
		rep.Failed = append(rep.Failed, Failure{Feed: *f, Err: err, FailingSince: f.FailingSince})
		if now.Sub(f.FailingSince) >= FailingReport {
			log.WarnContext(ctx, "feed failing for a day or more", "since", f.FailingSince, "failures", f.Failures, "err", err)
		} else {
			log.InfoContext(ctx, "feed poll failed", "failures", f.Failures, "next", f.NextPoll, "err", err)
		}
		return
	}
	f.Failures, f.LastError, f.FailingSince, f.LastSuccess = 0, "", time.Time{}, now
	s.schedule(f, now)
	if notModified {
		rep.NotModified++
		return
	}
	// Pages are fetched first and saved together, so that the corpus is
	// read once for the duplicate checks rather than once an item.
	var nas []corpus.NewArticle
	var taken []item
	for _, it := range items {
		if ctx.Err() != nil {
			return
		}
		if na, ok := s.prepare(ctx, f, it, rep); ok {
			nas, taken = append(nas, na), append(taken, it)
		}
		if ctx.Err() == nil {
			f.see(it.keys...) // tried once, whatever happened
		}
	}
	if len(nas) == 0 {
		return
	}
	added, errs := s.store.AddMany(ctx, nas)
	for i, err := range errs {
		if err != nil {
			rep.skip(ctx, s.log, f, taken[i], usererr.MessageOr(err, err.Error()))
			continue
		}
		rep.Arrived = append(rep.Arrived, Arrival{Feed: f.URL, Article: added[i], SummaryOnly: nas[i].SummaryOnly})
		s.log.InfoContext(ctx, "feed article saved", "feed", f.URL, "id", added[i].ID, "summary_only", nas[i].SummaryOnly)
	}
}

// item is a new item of a feed, with the hashes that recognise it.
type item struct {
	*gofeed.Item
	link string
	keys []string
}

// fetchFeed fetches and parses f's document, returning its new items, at
// most [Config.MaxItems] of them, or reporting that it has not changed.
func (s *Service) fetchFeed(ctx context.Context, f *Feed) ([]item, bool, error) {
	stream, err := s.fetcher.Open(ctx, f.URL, feedAccept, fetch.Validators{ETag: f.ETag, LastModified: f.LastModified})
	if err != nil {
		return nil, false, err
	}
	if stream.NotModified {
		f.ETag, f.LastModified = stream.Validators.ETag, stream.Validators.LastModified
		return nil, true, nil
	}
	pctx, cancel := context.WithTimeout(ctx, s.cfg.ParseTime)
	defer cancel()
	doc, err := gofeed.NewParser().Parse(&ctxReader{ctx: pctx, r: stream.Body})
	stream.Body.Close()
	if err != nil {
		if _, ok := usererr.Message(err); ok {
			return nil, false, fmt.Errorf("parse feed: %w", err)
		}
		if pctx.Err() != nil && ctx.Err() == nil {
			return nil, false, usererr.Wrap(fmt.Errorf("parse feed: took longer than %s: %w", s.cfg.ParseTime, err),
				fmt.Sprintf("That feed took longer than %s to read.", s.cfg.ParseTime))
		}
		return nil, false, usererr.Wrap(fmt.Errorf("parse feed: not RSS or Atom: %w", err), "That feed could not be read as RSS or Atom.")
	}
	// The validators are kept only once the document has been read, so
	// that a failed parse is fetched again in full.
	f.ETag, f.LastModified = stream.Validators.ETag, stream.Validators.LastModified
	if t := strings.Join(strings.Fields(doc.Title), " "); t != "" {
		f.Title = t
	}
	base, _ := url.Parse(stream.URL)
	seen := make(map[string]bool, len(f.Seen))
	for _, h := range f.Seen {
		seen[h] = true
	}
	var items []item
	for _, it := range doc.Items {
		if len(items) == s.cfg.MaxItems {
			break
		}
		link := resolve(base, it.Link)
		var keys []string
		if g := strings.TrimSpace(it.GUID); g != "" {
			keys = append(keys, "g:"+hash(g))
		}
		if link != "" {
			keys = append(keys, "l:"+hash(corpus.NormalizeURL(link)))
		}
		if len(keys) == 0 || anySeen(seen, keys) {
			continue
		}
		// A link repeated under new GUIDs in one document counts once.
		for _, k := range keys {
			seen[k] = true
		}
		items = append(items, item{Item: it, link: link, keys: keys})
	}
	return items, false, nil
}

// prepare makes one new item into an article: its page fetched like
// /add's or, when the page does not arrive, its summary marked as such.
// It reports false, with the reason in rep, for an item to skip.
func (s *Service) prepare(ctx context.Context, f *Feed, it item, rep *Report) (corpus.NewArticle, bool) {
	skip := func(reason string) (corpus.NewArticle, bool) {
		rep.skip(ctx, s.log, f, it, reason)
		return corpus.NewArticle{}, false
	}
	if it.link == "" {
		return skip("The item has no link.")
	}
	if err := s.pages.CheckURL(it.link); err != nil {
		return skip("Refused: " + usererr.MessageOr(err, err.Error()))
	}
	var published time.Time
	switch {
	case it.PublishedParsed != nil:
		published = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		published = *it.UpdatedParsed
	}
	title := it.title()
	var na corpus.NewArticle
	page, err := s.pages.Fetch(ctx, it.link)
	switch {
	case ctx.Err() != nil:
		return corpus.NewArticle{}, false
	case errors.Is(err, fetch.ErrForbiddenAddress):
		return skip("Refused: " + usererr.MessageOr(err, err.Error()))
	case err != nil:
		text := summaryText(firstNonEmpty(it.Content, it.Description))
		if text == "" {
			return skip("The page could not be fetched (" + usererr.MessageOr(err, err.Error()) + ") and the feed gives no summary.")
		}
		na = corpus.NewArticle{Title: title, URL: it.link, Text: text, SummaryOnly: true}
	default:
		na = page.Article()
		if title != "" {
			na.Title = title
		}
	}
	na.Source = f.Source()
	na.Feed = f.URL
	if !published.IsZero() {
		na.Published = published
	}
	return na, true
}

// title is the item's title on one line.
func (it item) title() string { return strings.Join(strings.Fields(it.Title), " ") }

// skip records that it was not saved, and why.
func (rep *Report) skip(ctx context.Context, log *slog.Logger, f *Feed, it item, reason string) {
	rep.Skipped = append(rep.Skipped, Skip{Feed: f.URL, Link: it.link, Title: it.title(), Reason: reason})
	log.InfoContext(ctx, "feed item skipped", "feed", f.URL, "link", it.link, "reason", reason)
}

// reload re-indexes, waiting for a reload already under way (it may have
// read the directory before this poll's articles) to finish first.
func (s *Service) reload(ctx context.Context) (retrieval.Report, error) {
	for {
		rep, err := s.lib.Reload(ctx)
		if !errors.Is(err, retrieval.ErrReloadInProgress) {
			if err != nil {
				return rep, fmt.Errorf("feeds: re-index: %w", err)
			}
			return rep, nil
		}
		t := time.NewTimer(100 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return rep, fmt.Errorf("feeds: re-index: waiting for the reload under way: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// resolve returns link made absolute against the feed's address, or "".
func resolve(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return link // refused later, with the fetcher's reason
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u.String()
}

// hash is the hex SHA-256 of s, cut to 16 bytes: the state keeps
// hashes, not GUIDs and links of any length.
func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

func anySeen(seen map[string]bool, keys []string) bool {
	for _, k := range keys {
		if seen[k] {
			return true
		}
	}
	return false
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// ctxReader fails reads once ctx is done, so that parsing a feed that
// takes too long stops at the next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from the wrapped reader unless ctx is done.
func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
