package corpus

import (
	"embed"
	"io/fs"
)

// builtinFiles holds the articles compiled into the binary. It is a package
// variable only because go:embed requires one; nothing writes to it.
//
//go:embed builtin
var builtinFiles embed.FS

// Builtin returns the corpus compiled into crisisbot, so the bot can answer
// without a corpus directory: today the seed article rubio-calls-munir.md.
// Load it with [Load].
func Builtin() fs.FS {
	sub, err := fs.Sub(builtinFiles, "builtin")
	if err != nil {
		panic("corpus: embedded corpus: " + err.Error()) // unreachable: "builtin" is a valid path
	}
	return sub
}
