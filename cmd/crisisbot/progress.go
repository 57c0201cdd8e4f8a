package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressBar draws one line of progress on a terminal — a label, a bar,
// a percentage and a count — redrawn in place at most ten times a second
// and erased when the work is done. A nil *progressBar draws nothing, so
// callers need not ask whether there is a terminal.
type progressBar struct {
	w     io.Writer
	label string
	unit  string // what count counts: "questions", "files"
	now   func() time.Time

	// estimate: total is an estimate of the work in units other than
	// the items counted (bytes of text for passages embedded).
	estimate bool

	mu    sync.Mutex
	done  int64 // units of work finished, in what total counts
	total int64 // 0: not known; the count alone is shown
	count int   // items finished, shown after the bar
	start time.Time
	drawn time.Time // when the bar was last drawn
	shown bool      // the bar is on the screen
	ended bool
}

// Work that ends within barDelay shows no bar at all, so that a quick
// command does not flash one; after that the bar is redrawn at most every
// barEvery.
const (
	barDelay = 250 * time.Millisecond
	barEvery = 100 * time.Millisecond
)

// isTerminal reports whether w is a terminal (a character device), where
// a progress bar helps; piped or redirected output gets none.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// terminalOf returns w when it is a terminal, else nil: where a command
// that shows progress draws it.
func terminalOf(w io.Writer) io.Writer {
	if isTerminal(w) {
		return w
	}
	return nil
}

// newProgress returns a bar on w for total items, or nil when w is nil.
func newProgress(w io.Writer, label, unit string, total int) *progressBar {
	if w == nil {
		return nil
	}
	p := &progressBar{w: w, label: label, unit: unit, total: int64(total), now: time.Now}
	p.start = p.now()
	return p
}

// newEstimatedProgress returns a bar on w whose total is an estimate of
// the work in its own units, or nil when w is nil; the items counted are
// shown beside it.
func newEstimatedProgress(w io.Writer, label, unit string, total int64) *progressBar {
	p := newProgress(w, label, unit, 0)
	if p != nil {
		p.total, p.estimate = total, true
	}
	return p
}

// step records one item done, for a bar of items.
func (p *progressBar) step() { p.add(1, 1) }

// add records units more work done and items more items finished.
func (p *progressBar) add(units int64, items int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ended {
		return
	}
	p.done += units
	p.count += items
	t := p.now()
	if t.Sub(p.start) < barDelay {
		return
	}
	if !p.shown || t.Sub(p.drawn) >= barEvery || (p.total > 0 && p.done >= p.total) {
		p.drawn, p.shown = t, true
		p.draw()
	}
}

// clear erases the bar, so that a line printed next starts clean; the next
// add draws it again.
func (p *progressBar) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown && !p.ended {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// finish erases the bar for good.
func (p *progressBar) finish() {
	if p == nil {
		return
	}
	p.clear()
	p.mu.Lock()
	p.ended = true
	p.mu.Unlock()
}

const barWidth = 30

// draw writes the line; p.mu is held.
func (p *progressBar) draw() {
	var b strings.Builder
	b.WriteString("\r")
	b.WriteString(p.label)
	if p.total > 0 {
		frac := min(float64(p.done)/float64(p.total), 1)
		if p.estimate {
			// An estimated total may be short: the bar stays short of full
			// until the work is finished.
			frac = min(frac, 0.99)
		}
		full := int(frac * barWidth)
		fmt.Fprintf(&b, " [%s%s] %3d%%", strings.Repeat("#", full), strings.Repeat("-", barWidth-full), int(frac*100))
	}
	if p.estimate || p.total == 0 {
		fmt.Fprintf(&b, "  %d %s", p.count, p.unit)
	} else {
		fmt.Fprintf(&b, "  %d/%d %s", p.count, p.total, p.unit)
	}
	b.WriteString("\x1b[K")
	fmt.Fprint(p.w, b.String())
}
