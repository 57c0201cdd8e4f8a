package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"
)

// Reasons a file is refused. A [FileError] wraps one of them (or an I/O
// error), so callers can tell the cases apart with [errors.Is].
var (
	// ErrEmpty is wrapped by the error [Load] returns when no article at all
	// could be loaded.
	ErrEmpty = errors.New("no articles")
	// ErrUnsupported means the file's extension is not one [Parse] reads.
	ErrUnsupported = errors.New("unsupported file type")
	// ErrTooLarge means the file is over [Options.MaxFileSize].
	ErrTooLarge = errors.New("file too large")
	// ErrBinary means the file holds NUL bytes, so it is not text.
	ErrBinary = errors.New("binary file")
	// ErrEncoding means the file is not valid UTF-8.
	ErrEncoding = errors.New("not UTF-8")
	// ErrNoText means the file has no readable text once markup is removed.
	ErrNoText = errors.New("no text")
	// ErrFrontMatter means the YAML front matter could not be read.
	ErrFrontMatter = errors.New("bad front matter")
	// ErrDuplicateID means another file, earlier by path, has the same ID.
	ErrDuplicateID = errors.New("duplicate article id")
	// ErrNotRegular means the path is not a regular file (a named pipe, a
	// device) and was not opened.
	ErrNotRegular = errors.New("not a regular file")
	// ErrSymlinkLoop means a symbolic link leads back to a directory that is
	// already being walked.
	ErrSymlinkLoop = errors.New("symlink loop")
	// ErrOutsideCorpus means a symbolic link leads out of the corpus
	// directory (or is absolute): what it points to is not read, and a
	// removal through it moves nothing.
	ErrOutsideCorpus = errors.New("symlink leads out of the corpus (links must be relative and stay inside it)")
)

// Kinds of file [Parse] reads, by extension.
const (
	kindMarkdown = "markdown"
	kindText     = "text"
	kindHTML     = "html"
)

// fileKind returns the kind of file p is by its extension, or "" when the
// corpus does not read it.
func fileKind(p string) string {
	switch strings.ToLower(extension(p)) {
	case ".md", ".markdown":
		return kindMarkdown
	case ".txt":
		return kindText
	case ".html", ".htm":
		return kindHTML
	}
	return ""
}

// extension returns the extension of the slash-separated path p, dot
// included.
func extension(p string) string { return path.Ext(p) }

// Parse parses one file of the corpus. path is the file's slash-separated
// path relative to the corpus root; its extension selects the format
// (.md and .markdown, .txt, .html and .htm) and, without the extension, it
// becomes the article's ID. Parse refuses binary data, invalid UTF-8, files
// with no text and malformed front matter.
func Parse(path string, data []byte) (Article, error) {
	kind := fileKind(path)
	if kind == "" {
		return Article{}, fmt.Errorf("%w %q", ErrUnsupported, extension(path))
	}
	if err := checkText(data); err != nil {
		return Article{}, err
	}
	sum := sha256.Sum256(data)
	a := Article{
		ID:   strings.TrimSuffix(path, extension(path)),
		Path: path,
		Hash: hex.EncodeToString(sum[:]),
	}
	if a.ID == "" {
		return Article{}, fmt.Errorf("parse %q: empty article id", path)
	}
	src := normalizeNewlines(string(trimBOM(data)))

	switch kind {
	case kindHTML:
		h := readHTML(src, nil)
		a.Title, a.URL, a.Source, a.Author, a.Published, a.Tags, a.Text = h.Title, h.URL, h.Source, h.Author, h.Published, h.Tags, h.Text
	case kindMarkdown:
		body, err := splitFrontMatter(&a, src)
		if err != nil {
			return Article{}, err
		}
		var heading string
		a.Text, heading = markdownText(body)
		if a.Title == "" {
			a.Title = heading
		}
	case kindText:
		body, err := splitFrontMatter(&a, src)
		if err != nil {
			return Article{}, err
		}
		a.Text = plainText(body)
	}
	if strings.TrimSpace(a.Text) == "" {
		return Article{}, ErrNoText
	}
	if a.Title == "" {
		a.Title = a.ID
	}
	return a, nil
}

// checkText refuses data that is not UTF-8 text, naming the offending byte:
// UTF-16, NUL bytes, data whose first 512 bytes look binary (control bytes
// text does not hold, or the signature of a picture, an archive, a PDF…, as
// [http.DetectContentType] sniffs them), and invalid UTF-8. Every file of
// the corpus, every file handed over for adding and every fetched page,
// once decoded, gets these checks.
func checkText(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return fmt.Errorf("%w: UTF-16 text (byte-order mark at offset 0); save it as UTF-8", ErrEncoding)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
	}
	if err := sniffText(data); err != nil {
		return err
	}
	if utf8.Valid(data) {
		return nil
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return fmt.Errorf("%w: invalid UTF-8 at byte offset %d", ErrEncoding, i)
		}
		i += n
	}
	return fmt.Errorf("%w: invalid UTF-8", ErrEncoding) // unreachable: utf8.Valid said otherwise
}

// sniffText refuses data that [http.DetectContentType] does not take for
// text.
func sniffText(data []byte) error {
	ct := http.DetectContentType(data)
	if strings.HasPrefix(ct, "text/") {
		return nil
	}
	mt, _, _ := strings.Cut(ct, ";")
	return fmt.Errorf("%w: the content looks like %s", ErrBinary, mt)
}

// trimBOM drops the UTF-8 byte order mark some editors write first.
func trimBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
}

// normalizeNewlines turns CRLF and lone CR line endings into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
