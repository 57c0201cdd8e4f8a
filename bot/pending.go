package bot

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// pendingTTL is how long a confirmation or undo button stays usable.
const pendingTTL = 30 * time.Minute

// maxPending caps the buttons remembered at once. Only moderators make
// them; past the cap the oldest button expires early.
const maxPending = 1000

// pendingAction is what a button will do when pressed. Buttons carry only a
// short random key in their custom ID (Discord caps it at 100 characters,
// and a trash path would not fit), so the action itself stays here, and in
// the data directory when there is one: a restart keeps it. Without one a
// restart forgets it, and the button says it has expired.
type pendingAction struct {
	kind    string // "undo-add", "confirm-remove" or "undo-remove"
	id      string // article ID
	removed corpus.Removed
}

// stash keeps an action and returns the key its button carries.
func (d *Discord) stash(p pendingAction) string {
	var b [8]byte
	rand.Read(b[:])
	key := hex.EncodeToString(b[:])
	d.mu.Lock()
	// Stashed once and never marked used again, an action expires
	// pendingTTL after it was stashed.
	d.pending.put(key, p, d.now())
	d.mu.Unlock()
	d.saveButtons()
	return key
}

// take removes and returns the action behind key, if it is still there and
// of the wanted kind.
func (d *Discord) take(key, kind string) (pendingAction, bool) {
	d.mu.Lock()
	p, ok := d.pending.peek(key, d.now())
	if !ok || p.kind != kind {
		d.mu.Unlock()
		return pendingAction{}, false
	}
	d.pending.remove(key)
	d.mu.Unlock()
	d.saveButtons()
	return p, true
}
