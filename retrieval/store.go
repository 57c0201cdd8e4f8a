package retrieval

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/atomicfile"
)

// The snapshot is one file, written whole to a temporary name, synced, then
// renamed over the old one: a crash at any moment leaves either the old
// snapshot or the new one, never a mix. chromem-go's own persistence writes a
// file per document in place, which could leave a half-written index, so it
// is not used.
const (
	snapshotMagic = "CRISISIX"
	// 2: passages carry their sentences' dates.
	snapshotVersion = 2
	snapshotName    = "index.snap"
)

// errNoSnapshot is returned by loadSnapshot when the data directory holds no
// index yet.
var errNoSnapshot = errors.New("no saved index")

type snapshotMeta struct {
	Version  int
	Embedder string
	Chunking corpus.ChunkOptions
	Built    time.Time
	Articles []corpus.Article
	Passages []storedPassage
	Dims     int
}

type storedPassage struct {
	Article   int32 // index into Articles
	Index     int
	Start     int
	End       int
	Sentences []corpus.Span
	Dates     []corpus.SentenceDate
}

// saveSnapshot writes ix to dir atomically. sync is called on the file and
// the directory so the rename survives a power cut, not just a crash.
func saveSnapshot(dir string, ix *Index) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	payload, err := encodeSnapshot(ix)
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	// 0600: the index is the bot's own data, for no other user to read.
	tmp, err := atomicfile.WriteTemp(dir, snapshotName+".*.tmp", 0o600, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, snapshotName)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save index: %w", err)
	}
	// The new snapshot is in place; a directory that cannot be synced only
	// risks the rename on a power cut, which leaves the old snapshot.
	_ = atomicfile.SyncDir(dir)
	removeStaleTemps(dir)
	return nil
}

// removeStaleTemps deletes temporary files left by a process killed while
// saving; they are never read.
func removeStaleTemps(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, snapshotName+".*.tmp"))
	for _, m := range matches {
		if info, err := os.Stat(m); err == nil && time.Since(info.ModTime()) > time.Minute {
			os.Remove(m)
		}
	}
}

// encodeSnapshot lays out: magic, metadata length, gob metadata, vector
// count, raw little-endian float32 vectors, CRC-32C of all that precedes it.
func encodeSnapshot(ix *Index) ([]byte, error) {
	meta := snapshotMeta{
		Version:  snapshotVersion,
		Embedder: ix.settings.Embedder,
		Chunking: ix.settings.Chunking,
		Built:    ix.built,
	}
	pos := make(map[string]int32, len(ix.articles))
	for i, a := range ix.articles {
		pos[a.ID] = int32(i)
		meta.Articles = append(meta.Articles, *a)
	}
	for _, p := range ix.passages {
		meta.Passages = append(meta.Passages, storedPassage{Article: pos[p.ArticleID], Index: p.Index, Start: p.Start, End: p.End, Sentences: p.Sentences, Dates: p.Dates})
	}
	if len(ix.vectors) > 0 {
		meta.Dims = len(ix.vectors[0])
	}
	var metaBuf bytes.Buffer
	if err := gob.NewEncoder(&metaBuf).Encode(meta); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	n := len(ix.vectors) * meta.Dims
	buf := make([]byte, 0, len(snapshotMagic)+16+metaBuf.Len()+4*n+4)
	buf = append(buf, snapshotMagic...)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(metaBuf.Len()))
	buf = append(buf, metaBuf.Bytes()...)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(n))
	for _, v := range ix.vectors {
		if len(v) != meta.Dims {
			return nil, fmt.Errorf("encode: vectors of %d and %d dimensions", meta.Dims, len(v))
		}
		for _, x := range v {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
	}
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, crcTable()))
	return buf, nil
}

func crcTable() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// loadSnapshot reads the index saved in dir. It returns errNoSnapshot when
// there is none, and an error naming the file when it is unreadable or
// corrupt.
func loadSnapshot(ctx context.Context, dir string, embed EmbedFunc) (*Index, error) {
	path := filepath.Join(dir, snapshotName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoSnapshot
	}
	if err != nil {
		return nil, fmt.Errorf("load index: %w", err)
	}
	meta, vectors, err := decodeSnapshot(data)
	if err != nil {
		return nil, fmt.Errorf("load index %s: %w", path, err)
	}
	arts := make([]*corpus.Article, len(meta.Articles))
	for i := range meta.Articles {
		arts[i] = &meta.Articles[i]
	}
	passages := make([]corpus.Passage, len(meta.Passages))
	for i, sp := range meta.Passages {
		if sp.Article < 0 || int(sp.Article) >= len(arts) {
			return nil, fmt.Errorf("load index %s: passage %d names article %d of %d", path, i, sp.Article, len(arts))
		}
		a := arts[sp.Article]
		if sp.Start < 0 || sp.End > len(a.Text) || sp.Start > sp.End {
			return nil, fmt.Errorf("load index %s: passage %d out of range of article %s", path, i, a.ID)
		}
		passages[i] = corpus.Passage{
			ID:        corpus.PassageID(a.ID, sp.Index),
			ArticleID: a.ID,
			Index:     sp.Index,
			Span:      corpus.Span{Start: sp.Start, End: sp.End},
			Text:      a.Text[sp.Start:sp.End],
			Sentences: sp.Sentences,
			Dates:     sp.Dates,
		}
	}
	s := Settings{Embedder: meta.Embedder, Chunking: meta.Chunking}
	return newIndex(ctx, s, embed, arts, passages, vectors, nil, meta.Built)
}

func decodeSnapshot(data []byte) (*snapshotMeta, [][]float32, error) {
	if len(data) < len(snapshotMagic)+20 || string(data[:len(snapshotMagic)]) != snapshotMagic {
		return nil, nil, errors.New("not a crisisbot index")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, crcTable()) != sum {
		return nil, nil, errors.New("checksum mismatch: the file is corrupt")
	}
	rest := body[len(snapshotMagic):]
	metaLen := binary.LittleEndian.Uint64(rest)
	rest = rest[8:]
	if metaLen > uint64(len(rest)) {
		return nil, nil, errors.New("truncated metadata")
	}
	var meta snapshotMeta
	if err := gob.NewDecoder(bytes.NewReader(rest[:metaLen])).Decode(&meta); err != nil {
		return nil, nil, fmt.Errorf("decode metadata: %w", err)
	}
	if meta.Version != snapshotVersion {
		return nil, nil, fmt.Errorf("index format %d, want %d", meta.Version, snapshotVersion)
	}
	rest = rest[metaLen:]
	if len(rest) < 8 {
		return nil, nil, errors.New("truncated vectors")
	}
	n := binary.LittleEndian.Uint64(rest)
	rest = rest[8:]
	if n != uint64(len(meta.Passages)*meta.Dims) || uint64(len(rest)) != 4*n {
		return nil, nil, fmt.Errorf("%d vector values for %d passages of %d dimensions", n, len(meta.Passages), meta.Dims)
	}
	flat := make([]float32, n)
	for i := range flat {
		flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(rest[4*i:]))
	}
	vectors := make([][]float32, len(meta.Passages))
	for i := range vectors {
		vectors[i] = flat[i*meta.Dims : (i+1)*meta.Dims : (i+1)*meta.Dims]
	}
	return &meta, vectors, nil
}
