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
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
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
	// 3: the BM25 index is saved too, and the layout is streamed.
	snapshotVersion = 3
	snapshotName    = "index.snap"
)

// errNoSnapshot is returned by loadSnapshot when the data directory holds no
// index yet.
var errNoSnapshot = errors.New("no saved index")

type snapshotMeta struct {
	Version int
	// Generation names this snapshot; the change log beside it (see
	// log.go) applies only to the snapshot of its generation.
	Generation uint64
	Embedder   string
	Chunking   corpus.ChunkOptions
	Built      time.Time
	Articles   []corpus.Article
	Passages   []storedPassage
	Dims       int
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
// the directory so the rename survives a power cut, not just a crash. The
// snapshot is encoded as it is written, so saving holds no second copy of
// the vectors in memory.
func saveSnapshot(dir string, ix *Index, gen uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(encodeSnapshot(pw, ix, gen)) }()
	// 0600: the index is the bot's own data, for no other user to read.
	tmp, err := atomicfile.WriteTemp(dir, snapshotName+".*.tmp", 0o600, pr)
	// Unblock the encoder if WriteTemp stopped reading early.
	pr.CloseWithError(errors.New("snapshot writer stopped"))
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

// crcWriter passes writes through and checksums them.
type crcWriter struct {
	w   io.Writer
	sum uint32
}

func (c *crcWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.sum = crc32.Update(c.sum, crcTable(), p[:n])
	return n, err
}

// crcReader passes reads through and checksums them.
type crcReader struct {
	r   io.Reader
	sum uint32
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.sum = crc32.Update(c.sum, crcTable(), p[:n])
	return n, err
}

// encodeSnapshot writes, in order: magic, metadata length, gob metadata,
// vector value count, raw little-endian float32 vectors, BM25 section
// length, the BM25 section (see [encodeLexical]), and the CRC-32C of all
// that precedes it.
func encodeSnapshot(w io.Writer, ix *Index, gen uint64) error {
	meta := snapshotMeta{
		Version:    snapshotVersion,
		Generation: gen,
		Embedder:   ix.settings.Embedder,
		Chunking:   ix.settings.Chunking,
		Built:      ix.built,
	}
	pos := make(map[string]int32, len(ix.articles))
	meta.Articles = make([]corpus.Article, len(ix.articles))
	for i, a := range ix.articles {
		pos[a.ID] = int32(i)
		meta.Articles[i] = *a
	}
	meta.Passages = make([]storedPassage, len(ix.passages))
	for i, p := range ix.passages {
		meta.Passages[i] = storedPassage{Article: pos[p.ArticleID], Index: p.Index, Start: p.Start, End: p.End, Sentences: p.Sentences, Dates: p.Dates}
	}
	if len(ix.vectors) > 0 {
		meta.Dims = len(ix.vectors[0])
	}
	var metaBuf bytes.Buffer
	if err := gob.NewEncoder(&metaBuf).Encode(meta); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	meta = snapshotMeta{} // let the copies go before the vectors are written
	lex := encodeLexical(ix.lex)

	cw := &crcWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<16)
	var scratch [8]byte
	putUint64 := func(v uint64) {
		binary.LittleEndian.PutUint64(scratch[:], v)
		bw.Write(scratch[:])
	}
	bw.WriteString(snapshotMagic)
	putUint64(uint64(metaBuf.Len()))
	bw.Write(metaBuf.Bytes())
	metaBuf = bytes.Buffer{}
	dims := 0
	if len(ix.vectors) > 0 {
		dims = len(ix.vectors[0])
	}
	putUint64(uint64(len(ix.vectors) * dims))
	var vbuf []byte
	for _, v := range ix.vectors {
		if len(v) != dims {
			return fmt.Errorf("encode: vectors of %d and %d dimensions", dims, len(v))
		}
		vbuf = vbuf[:0]
		for _, x := range v {
			vbuf = binary.LittleEndian.AppendUint32(vbuf, math.Float32bits(x))
		}
		bw.Write(vbuf)
	}
	putUint64(uint64(len(lex)))
	bw.Write(lex)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	binary.LittleEndian.PutUint32(scratch[:4], cw.sum)
	if _, err := w.Write(scratch[:4]); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return nil
}

// encodeLexical lays out the BM25 index so that a start does not tokenise
// the corpus again: the document count and each document's length in
// terms, then the term count and, for each term in sorted order, its bytes
// and its postings as document-number gaps and term frequencies, all as
// unsigned varints. Averages, normalisations and the vocabulary by length
// follow from these and are worked out on loading.
func encodeLexical(lx *lexical) []byte {
	terms := slices.Sorted(maps.Keys(lx.postings))
	var buf []byte
	buf = binary.AppendUvarint(buf, uint64(len(lx.docLen)))
	for _, l := range lx.docLen {
		buf = binary.AppendUvarint(buf, uint64(l))
	}
	buf = binary.AppendUvarint(buf, uint64(len(terms)))
	for _, t := range terms {
		ps := lx.postings[t]
		buf = binary.AppendUvarint(buf, uint64(len(t)))
		buf = append(buf, t...)
		buf = binary.AppendUvarint(buf, uint64(len(ps)))
		prev := int32(-1)
		for _, p := range ps {
			buf = binary.AppendUvarint(buf, uint64(p.doc-prev))
			buf = binary.AppendUvarint(buf, uint64(p.tf))
			prev = p.doc
		}
	}
	return buf
}

// decodeLexical reads what [encodeLexical] wrote, checking every number
// against the passages it must describe.
func decodeLexical(data []byte, passages int) (*lexical, error) {
	bad := errors.New("BM25 section corrupt")
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(data)
		if n <= 0 {
			return 0, false
		}
		data = data[n:]
		return v, true
	}
	nDocs, ok := next()
	if !ok || nDocs != uint64(passages) {
		return nil, fmt.Errorf("BM25 section for %d passages, want %d", nDocs, passages)
	}
	lx := &lexical{docLen: make([]float32, nDocs)}
	for i := range lx.docLen {
		v, ok := next()
		if !ok {
			return nil, bad
		}
		lx.docLen[i] = float32(v)
	}
	nTerms, ok := next()
	if !ok || nTerms > uint64(len(data)) {
		return nil, bad
	}
	lx.postings = make(map[string][]posting, nTerms)
	for range nTerms {
		l, ok := next()
		if !ok || l > uint64(len(data)) {
			return nil, bad
		}
		t := string(data[:l])
		data = data[l:]
		np, ok := next()
		if !ok || np == 0 || np > nDocs {
			return nil, bad
		}
		ps := make([]posting, np)
		doc := int64(-1)
		for j := range ps {
			gap, ok1 := next()
			tf, ok2 := next()
			doc += int64(gap)
			if !ok1 || !ok2 || gap == 0 || doc >= int64(nDocs) || tf == 0 || tf > math.MaxUint16 {
				return nil, bad
			}
			ps[j] = posting{doc: int32(doc), tf: uint16(tf)}
		}
		lx.postings[t] = ps
	}
	if len(data) != 0 {
		return nil, bad
	}
	lx.finish()
	return lx, nil
}

func crcTable() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// loadSnapshot reads the index saved in dir. It returns errNoSnapshot when
// there is none, and an error naming the file when it is unreadable or
// corrupt. The file is decoded as it is read: its bytes are never all in
// memory beside the index they decode to.
func loadSnapshot(ctx context.Context, dir string, embed EmbedFunc) (*Index, error) {
	ix, _, err := loadSnapshotGen(ctx, dir, embed)
	return ix, err
}

// loadSnapshotGen is [loadSnapshot] that also returns the snapshot's
// generation.
func loadSnapshotGen(ctx context.Context, dir string, embed EmbedFunc) (*Index, uint64, error) {
	path := filepath.Join(dir, snapshotName)
	f, size, err := openRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, errNoSnapshot
	}
	if err != nil {
		return nil, 0, fmt.Errorf("load index: %w", err)
	}
	defer f.Close()
	meta, vectors, lex, err := decodeSnapshot(io.LimitReader(f, size), size)
	if err != nil {
		return nil, 0, fmt.Errorf("load index %s: %w", path, err)
	}
	arts := make([]*corpus.Article, len(meta.Articles))
	for i := range meta.Articles {
		arts[i] = &meta.Articles[i]
	}
	passages := make([]corpus.Passage, len(meta.Passages))
	for i, sp := range meta.Passages {
		if sp.Article < 0 || int(sp.Article) >= len(arts) {
			return nil, 0, fmt.Errorf("load index %s: passage %d names article %d of %d", path, i, sp.Article, len(arts))
		}
		a := arts[sp.Article]
		if sp.Start < 0 || sp.End > len(a.Text) || sp.Start > sp.End {
			return nil, 0, fmt.Errorf("load index %s: passage %d out of range of article %s", path, i, a.ID)
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
	meta.Passages = nil
	s := Settings{Embedder: meta.Embedder, Chunking: meta.Chunking}
	ix, err := newIndex(ctx, s, embed, arts, passages, vectors, lex, nil, meta.Built)
	return ix, meta.Generation, err
}

// openRegular opens path only if it is a regular file, and returns its
// size. A named pipe would block the open until a writer came, and a link
// to a device like /dev/zero would be read without end, so the type is
// checked before opening and again on the open file.
func openRegular(path string) (*os.File, int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is not a regular file (%v)", path, st.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err = f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is not a regular file", path)
	}
	return f, st.Size(), nil
}

// maxSection bounds the length a snapshot may claim for its metadata or
// BM25 section, so a corrupt length cannot ask for terabytes.
const maxSection = 1 << 34

func decodeSnapshot(f io.Reader, size int64) (*snapshotMeta, [][]float32, *lexical, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	cr := &crcReader{r: br}
	var scratch [8]byte
	readUint64 := func() (uint64, error) {
		if _, err := io.ReadFull(cr, scratch[:]); err != nil {
			return 0, err
		}
		return binary.LittleEndian.Uint64(scratch[:]), nil
	}
	magic := make([]byte, len(snapshotMagic))
	if _, err := io.ReadFull(cr, magic); err != nil || string(magic) != snapshotMagic {
		return nil, nil, nil, errors.New("not a crisisbot index")
	}
	metaLen, err := readUint64()
	if err != nil || metaLen > maxSection || int64(metaLen) > size {
		return nil, nil, nil, errors.New("truncated metadata")
	}
	var meta snapshotMeta
	lr := &io.LimitedReader{R: cr, N: int64(metaLen)}
	if err := gob.NewDecoder(lr).Decode(&meta); err != nil {
		return nil, nil, nil, fmt.Errorf("decode metadata: %w", err)
	}
	if lr.N != 0 {
		return nil, nil, nil, errors.New("metadata shorter than its length")
	}
	if meta.Version != snapshotVersion {
		return nil, nil, nil, fmt.Errorf("index format %d, want %d", meta.Version, snapshotVersion)
	}
	n, err := readUint64()
	if err != nil {
		return nil, nil, nil, errors.New("truncated vectors")
	}
	if meta.Dims < 0 || n != uint64(len(meta.Passages)*meta.Dims) || 4*n > uint64(size) {
		return nil, nil, nil, fmt.Errorf("%d vector values for %d passages of %d dimensions", n, len(meta.Passages), meta.Dims)
	}
	flat := make([]float32, n)
	chunk := make([]byte, 1<<16)
	for i := 0; i < len(flat); {
		m := min(len(chunk)/4, len(flat)-i)
		if _, err := io.ReadFull(cr, chunk[:4*m]); err != nil {
			return nil, nil, nil, errors.New("truncated vectors")
		}
		for j := range m {
			flat[i+j] = math.Float32frombits(binary.LittleEndian.Uint32(chunk[4*j:]))
		}
		i += m
	}
	vectors := make([][]float32, len(meta.Passages))
	for i := range vectors {
		vectors[i] = flat[i*meta.Dims : (i+1)*meta.Dims : (i+1)*meta.Dims]
	}
	lexLen, err := readUint64()
	if err != nil || lexLen > maxSection || int64(lexLen) > size {
		return nil, nil, nil, errors.New("truncated BM25 section")
	}
	lexData := make([]byte, lexLen)
	if _, err := io.ReadFull(cr, lexData); err != nil {
		return nil, nil, nil, errors.New("truncated BM25 section")
	}
	// The checksum is read around the checksummer, then nothing may follow.
	if _, err := io.ReadFull(br, scratch[:4]); err != nil {
		return nil, nil, nil, errors.New("truncated checksum")
	}
	if binary.LittleEndian.Uint32(scratch[:4]) != cr.sum {
		return nil, nil, nil, errors.New("checksum mismatch: the file is corrupt")
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, nil, nil, errors.New("data after the checksum: the file is corrupt")
	}
	lex, err := decodeLexical(lexData, len(meta.Passages))
	if err != nil {
		return nil, nil, nil, err
	}
	return &meta, vectors, lex, nil
}
