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
	"sync"
	"time"
	"unsafe"

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
	// 4: articles carry their files' stamps; passages are packed, not gob;
	//    vectors are raw.
	snapshotVersion = 4
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
	// Chunker is the chunker's fingerprint when the passages were cut:
	// the options alone would let passages dated by older code pass
	// for current ones. Empty in snapshots written before it was kept.
	Chunker string
	Built   time.Time
	// Articles are the articles without their text, which follows in a
	// section of its own, TextLens[i] bytes for Articles[i]: read as one
	// string it costs one copy, where gob would copy each text twice.
	Articles []corpus.Article
	TextLens []int
	// Stamps, parallel to Articles, say what each article's file was like
	// when it was parsed (zero when unknown), so that a new process's
	// corpus loader skips the files that still match.
	Stamps   []corpus.FileStamp
	Passages int
	Dims     int
}

// storedDate is one date mention of a passage: the dates are few beside
// the passages, and their fields many, so they keep gob's encoding.
type storedDate struct {
	Passage int32
	corpus.SentenceDate
}

// storedDates is the dates section: gob cannot encode a nil slice alone.
type storedDates struct{ Dates []storedDate }

// saveSnapshot writes ix to dir atomically, with the file stamps of its
// articles that files knows. sync is called on the file and the directory
// so the rename survives a power cut, not just a crash. The snapshot is
// encoded as it is written, so saving holds no second copy of the vectors
// in memory.
func saveSnapshot(dir string, ix *Index, gen uint64, files *corpus.ParseCache) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(encodeSnapshot(pw, ix, gen, files)) }()
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

// crcWriter passes writes through, checksums and counts them.
type crcWriter struct {
	w   io.Writer
	sum uint32
	n   int64
}

func (c *crcWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.sum = crc32.Update(c.sum, crcTable(), p[:n])
	c.n += int64(n)
	return n, err
}

// vectorAlign is the alignment of the vectors in a snapshot file.
const vectorAlign = 64

// padTo is how many bytes take pos to a multiple of align.
func padTo(pos, align int64) int64 { return (align - pos%align) % align }

// littleEndian reports whether the machine stores a float32 as the
// snapshot does, so that vectors are read and written as they lie in
// memory rather than a value at a time.
func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// floatBytes is the memory of v as bytes, on a little-endian machine the
// snapshot's encoding of v.
func floatBytes(v []float32) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v))
}

// encodeSnapshot writes, in order: magic, metadata length, gob metadata
// (with the articles but their text), the articles' texts one after the
// other, the packed passages (see [encodePassages]) and the
// gob date mentions, each after its length, the vector value count, raw
// little-endian float32 vectors, BM25 section length, the BM25 section
// (see [writeLexical]), and the CRC-32C of all that precedes it.
func encodeSnapshot(w io.Writer, ix *Index, gen uint64, files *corpus.ParseCache) error {
	meta := snapshotMeta{
		Version:    snapshotVersion,
		Generation: gen,
		Embedder:   ix.settings.Embedder,
		Chunking:   ix.settings.Chunking,
		Chunker:    ix.settings.chunker(),
		Built:      ix.built,
		Passages:   len(ix.passages),
	}
	pos := make(map[string]int32, len(ix.articles))
	meta.Articles = make([]corpus.Article, len(ix.articles))
	meta.TextLens = make([]int, len(ix.articles))
	meta.Stamps = make([]corpus.FileStamp, len(ix.articles))
	for i, a := range ix.articles {
		pos[a.ID] = int32(i)
		meta.Articles[i] = *a
		meta.Articles[i].Text = ""
		meta.TextLens[i] = len(a.Text)
		meta.Stamps[i], _ = files.Stamp(a)
	}
	if len(ix.vectors) > 0 {
		meta.Dims = len(ix.vectors[0])
	}
	cw := &crcWriter{w: w}
	bw := bufio.NewWriterSize(cw, 1<<16)
	var scratch [8]byte
	putUint64 := func(v uint64) {
		binary.LittleEndian.PutUint64(scratch[:], v)
		bw.Write(scratch[:])
	}
	section := func(b []byte) {
		putUint64(uint64(len(b)))
		bw.Write(b)
	}
	bw.WriteString(snapshotMagic)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(meta); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	meta = snapshotMeta{} // let the copies go before the vectors are written
	section(buf.Bytes())
	var textLen int
	for _, a := range ix.articles {
		textLen += len(a.Text)
	}
	putUint64(uint64(textLen))
	for _, a := range ix.articles {
		bw.WriteString(a.Text)
	}
	section(encodePassages(ix.passages, pos))
	var dates []storedDate
	for i := range ix.passages {
		for _, d := range ix.passages[i].Dates {
			dates = append(dates, storedDate{Passage: int32(i), SentenceDate: d})
		}
	}
	buf = bytes.Buffer{}
	if err := gob.NewEncoder(&buf).Encode(storedDates{dates}); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	dates = nil
	section(buf.Bytes())
	buf = bytes.Buffer{}

	dims := 0
	if len(ix.vectors) > 0 {
		dims = len(ix.vectors[0])
	}
	putUint64(uint64(len(ix.vectors) * dims))
	// The vectors start at a multiple of vectorAlign, so that a loader
	// that maps the file can use them where they lie.
	written := cw.n + int64(bw.Buffered())
	bw.Write(make([]byte, padTo(written, vectorAlign)))
	var vbuf []byte
	for _, v := range ix.vectors {
		if len(v) != dims {
			return fmt.Errorf("encode: vectors of %d and %d dimensions", dims, len(v))
		}
		if littleEndian() {
			bw.Write(floatBytes(v))
			continue
		}
		vbuf = vbuf[:0]
		for _, x := range v {
			vbuf = binary.LittleEndian.AppendUint32(vbuf, math.Float32bits(x))
		}
		bw.Write(vbuf)
	}
	terms := sortedTerms(ix.lex)
	var lexLen int
	writeLexical(ix.lex, terms, func(b []byte) { lexLen += len(b) })
	putUint64(uint64(lexLen))
	writeLexical(ix.lex, terms, func(b []byte) { bw.Write(b) })
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	binary.LittleEndian.PutUint32(scratch[:4], cw.sum)
	if _, err := w.Write(scratch[:4]); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return nil
}

// encodePassages packs each passage as unsigned varints: its article's
// number, its index in the article, its start and length, its sentence
// count, and each sentence's start after the previous end and length. A
// passage's text is a slice of its article's, so none is stored.
func encodePassages(ps []corpus.Passage, article map[string]int32) []byte {
	var buf []byte
	for i := range ps {
		p := &ps[i]
		buf = binary.AppendUvarint(buf, uint64(article[p.ArticleID]))
		buf = binary.AppendUvarint(buf, uint64(p.Index))
		buf = binary.AppendUvarint(buf, uint64(p.Start))
		buf = binary.AppendUvarint(buf, uint64(p.End-p.Start))
		buf = binary.AppendUvarint(buf, uint64(len(p.Sentences)))
		prev := p.Start
		for _, s := range p.Sentences {
			buf = binary.AppendVarint(buf, int64(s.Start-prev))
			buf = binary.AppendUvarint(buf, uint64(s.End-s.Start))
			prev = s.End
		}
	}
	return buf
}

// decodePassages reads what [encodePassages] wrote, checking every offset
// against the articles it points into.
func decodePassages(data []byte, n int, arts []*corpus.Article) ([]corpus.Passage, error) {
	bad := errors.New("passages section corrupt")
	next := func() (uint64, bool) {
		v, k := binary.Uvarint(data)
		if k <= 0 {
			return 0, false
		}
		data = data[k:]
		return v, true
	}
	passages := make([]corpus.Passage, n)
	// One allocation holds every passage's sentences.
	var spans []corpus.Span
	for i := range passages {
		ai, ok1 := next()
		index, ok2 := next()
		start, ok3 := next()
		length, ok4 := next()
		ns, ok5 := next()
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || ai >= uint64(len(arts)) || index > math.MaxInt32 || ns > uint64(len(data)) {
			return nil, bad
		}
		a := arts[ai]
		if start > uint64(len(a.Text)) || length > uint64(len(a.Text))-start {
			return nil, fmt.Errorf("passage %d out of range of article %s", i, a.ID)
		}
		if cap(spans)-len(spans) < int(ns) {
			spans = make([]corpus.Span, 0, max(int(ns), 4096))
		}
		first := len(spans)
		prev := int64(start)
		for range ns {
			gap, k := binary.Varint(data)
			if k <= 0 {
				return nil, bad
			}
			data = data[k:]
			l, ok := next()
			s := prev + gap
			if !ok || s < int64(start) || l > uint64(len(a.Text)) || s+int64(l) > int64(start+length) {
				return nil, fmt.Errorf("passage %d: sentence out of range of article %s", i, a.ID)
			}
			spans = append(spans, corpus.Span{Start: int(s), End: int(s) + int(l)})
			prev = s + int64(l)
		}
		st, end := int(start), int(start+length)
		passages[i] = corpus.Passage{
			ID:        corpus.PassageID(a.ID, int(index)),
			ArticleID: a.ID,
			Index:     int(index),
			Span:      corpus.Span{Start: st, End: end},
			Text:      a.Text[st:end],
			Sentences: spans[first:len(spans):len(spans)],
		}
	}
	if len(data) != 0 {
		return nil, bad
	}
	return passages, nil
}

// writeLexical lays out the BM25 index so that a start does not tokenise
// the corpus again: the document count and each document's length in
// terms, then the term count and, for each term in sorted order, its bytes
// and its postings as document-number gaps and term frequencies, all as
// unsigned varints. Averages, normalisations and the vocabulary by length
// follow from these and are worked out on loading.
//
// The bytes go to emit a few kilobytes at a time, so that a snapshot is
// written without the whole section in memory: once to a counter for the
// section's length, once to the file.
func writeLexical(lx *lexical, terms []string, emit func([]byte)) {
	var buf []byte
	flush := func() {
		if len(buf) >= 1<<14 {
			emit(buf)
			buf = buf[:0]
		}
	}
	buf = binary.AppendUvarint(buf, uint64(len(lx.docLen)))
	for _, l := range lx.docLen {
		buf = binary.AppendUvarint(buf, uint64(l))
		flush()
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
			flush()
		}
	}
	emit(buf)
}

// sortedTerms is the vocabulary in the order the snapshot stores it.
func sortedTerms(lx *lexical) []string { return slices.Sorted(maps.Keys(lx.postings)) }

// decodeLexical reads what [writeLexical] wrote, checking every number
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
// corrupt. The file is mapped into memory where the system can (see
// [readSnapshot]), and the index uses its vectors and texts where they lie
// instead of copying them: they are most of it.
func loadSnapshot(ctx context.Context, dir string, embed EmbedFunc) (*Index, error) {
	ix, _, err := loadSnapshotGen(ctx, dir, embed)
	if err != nil {
		return nil, err
	}
	return ix.idx, nil
}

// savedIndex is a snapshot as loaded: the index, the snapshot's
// generation, and the file stamp of each article by ID.
type savedIndex struct {
	idx    *Index
	stamps map[string]corpus.FileStamp
}

// loadSnapshotGen is [loadSnapshot] that also returns the snapshot's
// generation and its articles' file stamps.
func loadSnapshotGen(ctx context.Context, dir string, embed EmbedFunc) (savedIndex, uint64, error) {
	path := filepath.Join(dir, snapshotName)
	f, size, err := openRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return savedIndex{}, 0, errNoSnapshot
	}
	if err != nil {
		return savedIndex{}, 0, fmt.Errorf("load index: %w", err)
	}
	defer f.Close()
	data, release, err := readSnapshot(f, size)
	if err != nil {
		return savedIndex{}, 0, fmt.Errorf("load index %s: %w", path, err)
	}
	d, err := decodeSnapshot(data)
	if err != nil {
		release()
		return savedIndex{}, 0, fmt.Errorf("load index %s: %w", path, err)
	}
	stamps := make(map[string]corpus.FileStamp, len(d.arts))
	for i, a := range d.arts {
		if i < len(d.meta.Stamps) && d.meta.Stamps[i].Checked != 0 {
			stamps[a.ID] = d.meta.Stamps[i]
		}
	}
	s := Settings{Embedder: d.meta.Embedder, Chunking: d.meta.Chunking, cutBy: d.meta.Chunker}
	if s.cutBy == "" {
		s.cutBy = "unrecorded" // older than the fingerprint's keeping: cut again
	}
	ix, err := newIndex(ctx, s, embed, d.arts, d.passages, d.vectors, d.lex, d.meta.Built)
	if err != nil {
		return savedIndex{}, 0, fmt.Errorf("load index %s: %w", path, err)
	}
	return savedIndex{idx: ix, stamps: stamps}, d.meta.Generation, nil
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

// readWhole reads the file f, size bytes, into memory: what
// [readSnapshot] does where it cannot map the file.
func readWhole(f *os.File, size int64) ([]byte, func(), error) {
	if size > maxSection {
		return nil, nil, errors.New("snapshot too large")
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, nil, fmt.Errorf("read: %w", err)
	}
	return data, func() {}, nil
}

// maxSection bounds the length a snapshot may claim for its metadata or
// BM25 section, so a corrupt length cannot ask for terabytes.
const maxSection = 1 << 34

// decoded is a snapshot's content.
type decoded struct {
	meta     snapshotMeta
	arts     []*corpus.Article
	passages []corpus.Passage
	vectors  [][]float32
	lex      *lexical
}

// decodeSnapshot decodes a snapshot's bytes (see [encodeSnapshot]) once
// its checksum matches. The index keeps the vectors and the articles'
// texts where they lie in data, without a copy; data must stay as it is
// for as long as the index lives. The passages and the BM25 index are
// decoded side by side.
func decodeSnapshot(data []byte) (*decoded, error) {
	size := int64(len(data))
	if len(data) < len(snapshotMagic) || string(data[:len(snapshotMagic)]) != snapshotMagic {
		return nil, errors.New("not a crisisbot index")
	}
	// The sections' lengths are checked against the file first, so that
	// a cut file says so; then the checksum, before anything is decoded.
	if len(data) < len(snapshotMagic)+4 {
		return nil, errors.New("truncated metadata")
	}
	body := data[:len(data)-4]
	rest := body[len(snapshotMagic):]
	readUint64 := func() (uint64, bool) {
		if len(rest) < 8 {
			return 0, false
		}
		v := binary.LittleEndian.Uint64(rest)
		rest = rest[8:]
		return v, true
	}
	section := func(what string) ([]byte, error) {
		n, ok := readUint64()
		if !ok || n > maxSection || n > uint64(len(rest)) {
			return nil, fmt.Errorf("truncated %s", what)
		}
		b := rest[:n:n]
		rest = rest[n:]
		return b, nil
	}
	metaData, err := section("metadata")
	if err != nil {
		return nil, err
	}
	textData, err := section("texts")
	if err != nil {
		return nil, err
	}
	passageData, err := section("passages")
	if err != nil {
		return nil, err
	}
	dateData, err := section("dates")
	if err != nil {
		return nil, err
	}
	n, ok := readUint64()
	pad := padTo(int64(len(body)-len(rest)), vectorAlign)
	if !ok || n > uint64(len(rest))/4 || uint64(len(rest)) < uint64(pad)+4*n {
		return nil, errors.New("truncated vectors")
	}
	vecData := rest[pad : pad+int64(4*n)]
	rest = rest[pad+int64(4*n):]
	lexData, err := section("BM25 section")
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errors.New("data after the BM25 section: the file is corrupt")
	}
	// The checksum is worked out on another core while the sections are
	// decoded: the decoders check every number they read, so a corrupt
	// file cannot lead them astray before the checksum says it is corrupt.
	sumOK := make(chan bool, 1)
	go func() { sumOK <- binary.LittleEndian.Uint32(data[len(data)-4:]) == crc32.Checksum(body, crcTable()) }()
	d, err := decodeSections(metaData, textData, passageData, dateData, vecData, lexData, n, size)
	if !<-sumOK {
		return nil, errors.New("checksum mismatch: the file is corrupt")
	}
	return d, err
}

// decodeSections decodes a snapshot's sections, framed by
// [decodeSnapshot]; n is the number of vector values.
func decodeSections(metaData, textData, passageData, dateData, vecData, lexData []byte, n uint64, size int64) (*decoded, error) {
	d := &decoded{}
	if err := gob.NewDecoder(bytes.NewReader(metaData)).Decode(&d.meta); err != nil {
		return nil, fmt.Errorf("decode metadata: %w", err)
	}
	meta := &d.meta
	if meta.Version != snapshotVersion {
		return nil, fmt.Errorf("index format %d, want %d", meta.Version, snapshotVersion)
	}
	if meta.Passages < 0 || int64(meta.Passages) > size || meta.Dims < 0 || n != uint64(meta.Passages)*uint64(meta.Dims) {
		return nil, fmt.Errorf("%d vector values for %d passages of %d dimensions", n, meta.Passages, meta.Dims)
	}
	if len(meta.TextLens) != len(meta.Articles) {
		return nil, fmt.Errorf("%d text lengths for %d articles", len(meta.TextLens), len(meta.Articles))
	}
	// Every article's text is a slice of data, which is never written.
	texts := unsafe.String(unsafe.SliceData(textData), len(textData))
	d.arts = make([]*corpus.Article, len(meta.Articles))
	for i := range meta.Articles {
		l := meta.TextLens[i]
		if l < 0 || l > len(texts) {
			return nil, errors.New("texts shorter than their lengths")
		}
		meta.Articles[i].Text, texts = texts[:l], texts[l:]
		d.arts[i] = &meta.Articles[i]
	}
	if len(texts) != 0 {
		return nil, errors.New("texts longer than their lengths")
	}

	var wg sync.WaitGroup
	var passErr, lexErr error
	wg.Go(func() {
		d.passages, passErr = decodePassages(passageData, meta.Passages, d.arts)
		if passErr == nil {
			passErr = decodeDates(dateData, d.passages)
		}
	})
	wg.Go(func() { d.lex, lexErr = decodeLexical(lexData, meta.Passages) })
	var flat []float32
	aligned := n == 0 || uintptr(unsafe.Pointer(unsafe.SliceData(vecData)))%4 == 0
	if littleEndian() && aligned {
		if n > 0 {
			flat = unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(vecData))), n)
		}
	} else {
		flat = make([]float32, n)
		for i := range flat {
			flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(vecData[4*i:]))
		}
	}
	d.vectors = make([][]float32, meta.Passages)
	for i := range d.vectors {
		d.vectors[i] = flat[i*meta.Dims : (i+1)*meta.Dims : (i+1)*meta.Dims]
	}
	wg.Wait()
	if passErr != nil {
		return nil, passErr
	}
	if lexErr != nil {
		return nil, lexErr
	}
	return d, nil
}

// decodeDates reads the gob date mentions into the passages they belong
// to, which must be in the order they were written.
func decodeDates(data []byte, passages []corpus.Passage) error {
	var dates storedDates
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&dates); err != nil {
		return fmt.Errorf("decode dates: %w", err)
	}
	for _, d := range dates.Dates {
		if d.Passage < 0 || int(d.Passage) >= len(passages) {
			return fmt.Errorf("date of passage %d of %d", d.Passage, len(passages))
		}
		p := &passages[d.Passage]
		p.Dates = append(p.Dates, d.SentenceDate)
	}
	return nil
}
