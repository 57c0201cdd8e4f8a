// Command crisisbot answers questions about the May 2025 India–Pakistan
// confrontation from a corpus of source articles, with citations, in a
// terminal or on Discord.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "crisisbot:", err)
		os.Exit(exitCode(err))
	}
}
