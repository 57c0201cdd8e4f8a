package main

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"
)

// commandDoc is what a command's help says besides its flags: a line on
// what it does, its synopsis, examples, and the environment variables it
// reads that no flag names (those a flag's usage names with "env X" are
// listed by themselves).
type commandDoc struct {
	Summary  string   // one line: what the command does
	Usage    []string // synopses, each without "crisisbot "
	Examples []string // command lines, each without "crisisbot "
	About    string   // a paragraph after the synopsis, if any
	Env      []string // variable names; see envMeaning
}

// commandFlags returns the flag set of one command, which reports errors
// instead of exiting and whose -h/--help prints doc and the flags to
// stderr; run sends it to stdout when help is what was asked for.
func commandFlags(name string, doc commandDoc, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("crisisbot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { writeHelp(fs.Output(), name, doc, fs) }
	return fs
}

// writeHelp prints a command's help: summary, usage, flags, environment,
// examples.
func writeHelp(w io.Writer, name string, doc commandDoc, fs *flag.FlagSet) {
	if doc.Summary != "" {
		fmt.Fprintf(w, "crisisbot %s: %s\n\n", name, doc.Summary)
	}
	fmt.Fprintln(w, "Usage:")
	if len(doc.Usage) == 0 {
		fmt.Fprintf(w, "  crisisbot %s [flags]\n", name)
	}
	for _, u := range doc.Usage {
		fmt.Fprintf(w, "  crisisbot %s\n", u)
	}
	if doc.About != "" {
		fmt.Fprintf(w, "\n%s\n", doc.About)
	}
	var envs []string
	if hasFlags(fs) {
		fmt.Fprintln(w, "\nFlags:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fs.VisitAll(func(f *flag.Flag) {
			arg, text := flag.UnquoteUsage(f)
			dashes := "--"
			if len(f.Name) == 1 {
				dashes = "-"
			}
			spec := dashes + f.Name
			if !isBoolFlag(f) {
				spec += " " + placeholder(arg)
			}
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
				text += fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", spec, text)
			envs = append(envs, envNames(f.Usage)...)
		})
		tw.Flush()
	}
	for _, e := range doc.Env {
		if !slices.Contains(envs, e) {
			envs = append(envs, e)
		}
	}
	if len(envs) > 0 {
		fmt.Fprintln(w, "\nEnvironment:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, e := range envs {
			fmt.Fprintf(tw, "  %s\t%s\n", e, envMeaning(e))
		}
		tw.Flush()
		fmt.Fprintln(w, "A flag wins over its variable; a bad value is a warning, and the default is used.")
	}
	if len(doc.Examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, ex := range doc.Examples {
			fmt.Fprintf(w, "  crisisbot %s\n", ex)
		}
	}
}

// envNames returns the variables a flag's usage names: "(env CRISISBOT_TOP_K)".
func envNames(usage string) []string {
	var names []string
	for rest := usage; ; {
		i := strings.Index(rest, "env ")
		if i < 0 {
			return names
		}
		rest = rest[i+len("env "):]
		n := strings.IndexFunc(rest, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') })
		if n < 0 {
			n = len(rest)
		}
		if n > 0 {
			names = append(names, rest[:n])
		}
	}
}

// placeholder names a flag's value in help: the back-quoted word of its
// usage, else its type.
func placeholder(arg string) string {
	switch arg {
	case "", "value":
		return "VALUE"
	case "string":
		return "TEXT"
	case "float":
		return "X"
	case "int", "uint":
		return "N"
	case "duration":
		return "DURATION"
	}
	return arg
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// isBoolFlag reports whether f takes no value, as flag itself decides.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// envMeaning is the help's line for an environment variable.
func envMeaning(name string) string {
	switch name {
	case "CRISISBOT_CORPUS":
		return "directory of articles (--corpus)"
	case "CRISISBOT_DATA":
		return "where the index is kept (--data); default $XDG_CACHE_HOME/crisisbot or ~/.cache/crisisbot"
	case "CRISISBOT_EMBEDDER":
		return "hash or openai (--embedder)"
	case "CRISISBOT_EMBED_DIMS":
		return "dimensions of the offline embedder (default 384)"
	case "CRISISBOT_EMBED_MODEL":
		return "embedding model of --embedder openai (default text-embedding-3-small)"
	case "CRISISBOT_EMBED_TIMEOUT":
		return "deadline of one embeddings request (default 60s)"
	case "CRISISBOT_MAX_FILE_MB":
		return "larger article files are refused (default 10)"
	case "CRISISBOT_LOG_LEVEL":
		return "debug, info, warn or error (default warn; info for serve)"
	case "CRISISBOT_TOP_K":
		return "passages retrieved per question (--top-k)"
	case "CRISISBOT_MODE":
		return "extractive or llm (--mode)"
	case "OPENAI_API_KEY":
		return "API key of the LLM server; alone, it means OpenAI itself (never logged)"
	case "OPENAI_BASE_URL":
		return "OpenAI-compatible server (--llm-base-url)"
	case "CRISISBOT_CHAT_MODEL":
		return "chat model (--model)"
	case "CRISISBOT_LLM_TIMEOUT":
		return "deadline of one LLM call (default 60s)"
	case "CRISISBOT_LLM_RETRIES":
		return "retries of LLM requests (default 3; 0 for none)"
	case "DISCORD_TOKEN":
		return "the bot's token, from Bot in the Developer Portal (required; never logged)"
	case "CRISISBOT_DISCORD_API":
		return "Discord REST base (--discord-api)"
	case "CRISISBOT_GUILD_ID":
		return "register commands in this server, which is served (--guild)"
	case "CRISISBOT_GUILDS":
		return "servers served, comma-separated IDs (--guilds)"
	case "CRISISBOT_MOD_ROLES":
		return "role IDs that count as moderators, comma-separated"
	case "CRISISBOT_RATE_PER_MINUTE":
		return "questions per user per minute (default 6)"
	case "CRISISBOT_RATE_BURST":
		return "questions a user may ask at once (default 3)"
	case "CRISISBOT_MAX_CONCURRENT":
		return "questions answered at once (default 8)"
	case "CRISISBOT_MAX_QUESTION":
		return "longest question, in characters (default 500)"
	case "CRISISBOT_ANSWER_TIMEOUT":
		return "deadline of one question (default 90s)"
	case "CRISISBOT_SHUTDOWN_GRACE":
		return "time for questions in flight at shutdown (default 20s)"
	case "CRISISBOT_ANNOUNCE_CHANNEL":
		return "channel ID where new articles from feeds are announced"
	case "USER":
		return "recorded as added_by when --by is not given"
	}
	return ""
}

// Environment variables each kind of command reads besides its flags'.
func corpusEnv() []string {
	return []string{"CRISISBOT_MAX_FILE_MB", "CRISISBOT_EMBED_DIMS", "CRISISBOT_EMBED_MODEL", "CRISISBOT_EMBED_TIMEOUT", "OPENAI_API_KEY", "CRISISBOT_LOG_LEVEL"}
}

func llmEnv() []string {
	return []string{"OPENAI_API_KEY", "CRISISBOT_LLM_TIMEOUT", "CRISISBOT_LLM_RETRIES"}
}

func discordEnv() []string {
	return []string{"DISCORD_TOKEN", "CRISISBOT_MOD_ROLES", "CRISISBOT_RATE_PER_MINUTE", "CRISISBOT_RATE_BURST",
		"CRISISBOT_MAX_CONCURRENT", "CRISISBOT_MAX_QUESTION", "CRISISBOT_ANSWER_TIMEOUT", "CRISISBOT_SHUTDOWN_GRACE", "CRISISBOT_ANNOUNCE_CHANNEL"}
}

// interspersed reorders args so that flag.FlagSet, which stops at the
// first argument, sees every flag: the flags (with their values) first,
// then "--" and the arguments in their order. A "--" in args ends the
// flags; whatever follows it is an argument, even "-x". Whether a flag
// takes a value is the flag set's to say, so "--json QUESTION" keeps
// QUESTION an argument and "--top-k 3" keeps 3 a value.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if len(pos) == 0 {
		return flags
	}
	return append(append(flags, "--"), pos...)
}

// wantsHelp reports whether args ask for help: -h, -help or --help before
// any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// writeVersion prints the module's version and the VCS revision it was
// built from, as the Go toolchain recorded them.
func writeVersion(w io.Writer) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(w, "crisisbot (version unknown: built without module information)")
		return
	}
	fmt.Fprint(w, versionText(bi))
}

// versionText formats bi: "crisisbot v1.2.3" or "crisisbot (devel)", then
// the revision, its time and whether the tree had changes, then Go's
// version.
func versionText(bi *debug.BuildInfo) string {
	var b strings.Builder
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	fmt.Fprintf(&b, "crisisbot %s\n", v)
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		line := "revision " + rev
		if t := settings["vcs.time"]; t != "" {
			line += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			line += ", with uncommitted changes"
		}
		fmt.Fprintln(&b, line)
	} else {
		fmt.Fprintln(&b, "revision unknown (built outside a git checkout, or with -buildvcs=false)")
	}
	fmt.Fprintf(&b, "built with %s\n", bi.GoVersion)
	return b.String()
}
