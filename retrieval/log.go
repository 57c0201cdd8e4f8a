package retrieval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/atomicfile"
)

// The saved index is a snapshot (store.go) and a change log beside it, so
// that a reload writes in proportion to what it changed instead of
// rewriting every vector:
//
//	index.snap  the whole index at some moment, named by a random generation
//	index.log   header: magic, the generation of the snapshot it follows
//	            then records: payload length, gob changeRecord, CRC-32C
//
// A reload that changed a few articles appends one record holding those
// articles and their vectors, and syncs the log. Loading reads the
// snapshot, then every whole, checksummed record of a log of the same
// generation, and applies them all at once through build, which re-chunks
// the few articles and takes their vectors from the records: nothing is
// embedded again, and the result is the index a build from nothing gives.
//
// Crash safety: a record is used only when it is complete and its checksum
// matches, so a crash while appending leaves the index as it was before
// that reload; the torn tail is cut off before the next append. When the log
// grows past a quarter of the snapshot, or the settings change, the reload
// writes a new snapshot of a new generation instead (temporary file, sync,
// rename), which makes the old log inert at the same instant; it is then
// removed. A log that is unreadable from its header on is ignored and
// replaced by the next append.
const (
	logMagic = "CRISISLG"
	logName  = "index.log"
	// logHeaderLen is the magic and the generation.
	logHeaderLen = len(logMagic) + 8
	// maxRecord bounds the length a record may claim.
	maxRecord = 1 << 32
)

// changeRecord is one reload's change: the articles it removed or replaced,
// and the new and changed articles with each passage's vector in order.
type changeRecord struct {
	Built    time.Time
	Removed  []string
	Articles []corpus.Article
	Vectors  [][][]float32 // parallel to Articles
	// Stamps, parallel to Articles, are the articles' file stamps, zero
	// when unknown (see [snapshotMeta]).
	Stamps []corpus.FileStamp
}

// diskState is what a [Library] knows of its data directory: the
// generation and size of the snapshot, and how many bytes of the log are
// whole records of that generation (0 when there is no usable log).
type diskState struct {
	gen    uint64
	base   int64
	logLen int64
}

// newGeneration names a new snapshot. Zero means none, so it is never one.
func newGeneration() uint64 {
	for {
		if g := rand.Uint64(); g != 0 {
			return g
		}
	}
}

// saveFull writes ix as a new snapshot, with the file stamps files knows,
// and retires the log.
func saveFull(dir string, ix *Index, files *corpus.ParseCache) (diskState, error) {
	gen := newGeneration()
	if err := saveSnapshot(dir, ix, gen, files); err != nil {
		return diskState{}, err
	}
	// The log names the previous generation, so it is already inert.
	os.Remove(filepath.Join(dir, logName))
	st := diskState{gen: gen}
	if info, err := os.Stat(filepath.Join(dir, snapshotName)); err == nil {
		st.base = info.Size()
	}
	return st, nil
}

// saveChange records what build changed from prev to ix: a record appended
// to the log when that is small, otherwise a new snapshot.
func saveChange(dir string, st diskState, prev, ix *Index, d Diff, files *corpus.ParseCache) (diskState, error) {
	if prev == nil || d.Rebuilt || st.gen == 0 || st.logLen > st.base/4 {
		return saveFull(dir, ix, files)
	}
	rec := changeRecord{Built: ix.built}
	rec.Removed = append(slices.Clone(d.Removed), d.Changed...)
	fresh := map[string]int{}
	for _, id := range append(slices.Clone(d.Added), d.Changed...) {
		a := ix.byID[id]
		fresh[id] = len(rec.Articles)
		rec.Articles = append(rec.Articles, *a)
		stamp, _ := files.Stamp(a)
		rec.Stamps = append(rec.Stamps, stamp)
	}
	rec.Vectors = make([][][]float32, len(rec.Articles))
	for i := range ix.passages {
		if j, ok := fresh[ix.passages[i].ArticleID]; ok {
			rec.Vectors[j] = append(rec.Vectors[j], ix.vectors[i])
		}
	}
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(rec); err != nil {
		return st, fmt.Errorf("save change: %w", err)
	}
	if int64(payload.Len()) > st.base/4 {
		// A change this large is cheaper to read back as a snapshot.
		return saveFull(dir, ix, files)
	}
	n, err := appendRecord(dir, st, payload.Bytes())
	if err != nil {
		return st, fmt.Errorf("save change: %w", err)
	}
	st.logLen = n
	return st, nil
}

// appendRecord appends one record to the log of st's generation, creating
// the log when st has none, and returns the log's new length.
func appendRecord(dir string, st diskState, payload []byte) (int64, error) {
	path := filepath.Join(dir, logName)
	if st.logLen == 0 {
		// A new log starts as a synced header renamed into place, so no
		// reader ever sees a log without one.
		hdr := binary.LittleEndian.AppendUint64([]byte(logMagic), st.gen)
		tmp, err := atomicfile.WriteTemp(dir, logName+".*.tmp", 0o600, bytes.NewReader(hdr))
		if err != nil {
			return 0, err
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
			return 0, err
		}
		_ = atomicfile.SyncDir(dir)
		st.logLen = int64(logHeaderLen)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	// Cut off what a crash or a failed append left after the last whole
	// record, or the new record would follow garbage no reader passes.
	if err := f.Truncate(st.logLen); err != nil {
		f.Close()
		return 0, err
	}
	rec := binary.LittleEndian.AppendUint64(nil, uint64(len(payload)))
	rec = append(rec, payload...)
	rec = binary.LittleEndian.AppendUint32(rec, crc32.Checksum(payload, crcTable()))
	if _, err := f.WriteAt(rec, st.logLen); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	return st.logLen + int64(len(rec)), nil
}

// readLog returns the whole records of the log of generation gen, and the
// length of the log they make up; a log of another generation, or none,
// gives no records and length 0.
func readLog(dir string, gen uint64) ([]changeRecord, int64, error) {
	f, _, err := openRegular(filepath.Join(dir, logName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	hdr := make([]byte, logHeaderLen)
	if _, err := io.ReadFull(br, hdr); err != nil || string(hdr[:len(logMagic)]) != logMagic ||
		binary.LittleEndian.Uint64(hdr[len(logMagic):]) != gen {
		return nil, 0, nil
	}
	var recs []changeRecord
	n := int64(logHeaderLen)
	var lenBuf [8]byte
	for {
		if _, err := io.ReadFull(br, lenBuf[:]); err != nil {
			return recs, n, nil // the end, or a torn length
		}
		l := binary.LittleEndian.Uint64(lenBuf[:])
		if l > maxRecord {
			return recs, n, nil
		}
		payload := make([]byte, l+4)
		if _, err := io.ReadFull(br, payload); err != nil {
			return recs, n, nil
		}
		body, sum := payload[:l], binary.LittleEndian.Uint32(payload[l:])
		if crc32.Checksum(body, crcTable()) != sum {
			return recs, n, nil
		}
		var rec changeRecord
		if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&rec); err != nil {
			// Whole and checksummed, yet not a record: not a torn write
			// but a bug or another program; stop trusting the log here.
			return recs, n, nil
		}
		recs = append(recs, rec)
		n += int64(8 + len(payload))
	}
}

// loadSaved reads the snapshot in dir and applies its log. The result's
// stamps are those of the articles of the index it returns.
func loadSaved(ctx context.Context, dir string, embed EmbedFunc) (savedIndex, diskState, error) {
	saved, gen, err := loadSnapshotGen(ctx, dir, embed)
	if err != nil {
		return savedIndex{}, diskState{}, err
	}
	st := diskState{gen: gen}
	if info, err := os.Stat(filepath.Join(dir, snapshotName)); err == nil {
		st.base = info.Size()
	}
	recs, n, err := readLog(dir, gen)
	if err != nil || len(recs) == 0 {
		// Unreadable or empty: the snapshot alone is a whole index, and
		// the next append starts a new log over this one.
		st.logLen = n
		if err != nil {
			st.logLen = 0
		}
		return saved, st, nil
	}
	next, err := applyRecords(ctx, saved.idx, recs)
	if err != nil {
		return saved, diskState{gen: gen, base: st.base}, fmt.Errorf("load index log: %w", err)
	}
	for _, r := range recs {
		for _, id := range r.Removed {
			delete(saved.stamps, id)
		}
		for i, a := range r.Articles {
			if i < len(r.Stamps) && r.Stamps[i].Checked != 0 {
				saved.stamps[a.ID] = r.Stamps[i]
			} else {
				delete(saved.stamps, a.ID)
			}
		}
	}
	st.logLen = n
	return savedIndex{idx: next, stamps: saved.stamps}, st, nil
}

// applyRecords applies the records, in order, to ix in one build: the
// corpus they leave is worked out first, and build reuses ix for all
// else, re-chunking only the recorded articles and taking their vectors
// from the records.
func applyRecords(ctx context.Context, ix *Index, recs []changeRecord) (*Index, error) {
	arts := make(map[string]corpus.Article, len(ix.articles))
	for _, a := range ix.articles {
		arts[a.ID] = *a
	}
	vecs := map[string][][]float32{}
	for _, r := range recs {
		for _, id := range r.Removed {
			delete(arts, id)
			delete(vecs, id)
		}
		if len(r.Vectors) != len(r.Articles) {
			return nil, fmt.Errorf("record of %d articles has vectors for %d", len(r.Articles), len(r.Vectors))
		}
		for i, a := range r.Articles {
			arts[a.ID] = a
			vecs[a.ID] = r.Vectors[i]
		}
	}
	// The vector of each recorded passage, by the text build embeds.
	byText := map[string][]float32{}
	for id, vs := range vecs {
		a := arts[id]
		ps := corpus.Chunk(a, ix.settings.Chunking)
		if len(ps) != len(vs) {
			return nil, fmt.Errorf("article %s: %d passages, %d saved vectors", id, len(ps), len(vs))
		}
		for i := range ps {
			byText[indexedText(&a, &ps[i])] = vs[i]
		}
	}
	saved := func(_ context.Context, texts []string) ([][]float32, error) {
		out := make([][]float32, len(texts))
		for i, t := range texts {
			v, ok := byText[t]
			if !ok {
				return nil, errors.New("a changed passage has no saved vector")
			}
			out[i] = slices.Clone(v)
		}
		return out, nil
	}
	list := make([]corpus.Article, 0, len(arts))
	for _, a := range arts {
		list = append(list, a)
	}
	slices.SortFunc(list, func(a, b corpus.Article) int { return strings.Compare(a.ID, b.ID) })
	next, _, err := build(ctx, ix.settings, saved, list, ix, recs[len(recs)-1].Built)
	if err != nil {
		return nil, err
	}
	// Searches embed questions with the live embedder, not the replay.
	// ix was just loaded and never made its collection; next makes its
	// own when first asked for.
	if next != ix {
		next.embed = ix.embed
		next.store, next.pending = lazyStore(next.passages, next.vectors), nil
	}
	return next, nil
}
