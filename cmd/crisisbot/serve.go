package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/crisisbot/crisisbot/bot"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/internal/fetch"
)

func (c *config) discordFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DiscordAPI, "discord-api", c.DiscordAPI, "Discord REST base URL (env CRISISBOT_DISCORD_API)")
	fs.StringVar(&c.GuildID, "guild", c.GuildID, "register commands in this guild only, instantly (env CRISISBOT_GUILD_ID)")
}

// serveFlags are the flags only serve takes: which servers it serves.
func (c *config) serveFlags(fs *flag.FlagSet) {
	fs.Func("guilds", "comma-separated guild IDs crisisbot serves, besides --guild (env CRISISBOT_GUILDS)", func(v string) error {
		c.Guilds = splitList(v)
		return nil
	})
	fs.BoolVar(&c.AnyGuild, "any-guild", c.AnyGuild, "answer members' questions in every server that adds the bot; moderator commands still run only in the servers listed")
}

func (c *config) discordConfig() bot.DiscordConfig {
	return bot.DiscordConfig{
		GuildID:        c.GuildID,
		Guilds:         c.Guilds,
		AnyGuild:       c.AnyGuild,
		ModRoles:       c.ModRoles,
		RatePerMinute:  c.RatePerMinute,
		RateBurst:      c.RateBurst,
		MaxConcurrent:  c.MaxConcurrent,
		MaxQuestionLen: c.MaxQuestionLen,
		AnswerTimeout:  c.AnswerTimeout,
		ShutdownGrace:  c.ShutdownGrace,
	}
}

// runServe runs the Discord bot: config → logger → index → answerer →
// session → bot, then serves until the context is cancelled.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := flagSet("serve", stderr)
	cfg.corpusFlags(fs)
	cfg.answerFlags(fs)
	cfg.discordFlags(fs)
	cfg.serveFlags(fs)
	fs.BoolVar(&cfg.SyncCommands, "sync-commands", false, "register the slash commands before serving")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if cfg.DiscordToken == "" {
		return usageError{"serve: DISCORD_TOKEN is not set"}
	}
	if cfg.GuildID == "" && len(cfg.Guilds) == 0 && !cfg.AnyGuild {
		// Global commands reach every server that adds the bot: it serves
		// none of them unless told which, or told to answer in all.
		return usageError{"serve: no servers configured. List the guild IDs crisisbot serves in CRISISBOT_GUILDS (or --guilds, or register the commands in one with --guild), " +
			"or pass --any-guild to answer questions in every server (moderator commands then run only in the servers listed: with none, nowhere)"}
	}
	log := newLogger(cfg, stderr)
	// The cheap checks of the configuration come before indexing, which
	// may take minutes (and paid embedding calls) on a large corpus.
	session, err := bot.NewDiscordSession(cfg.DiscordToken, cfg.DiscordAPI)
	if err != nil {
		return err
	}
	var store *corpus.Store
	if cfg.Corpus != "" {
		if store, err = openStore(cfg); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
	}
	hc := newHTTPClient(cfg, log)
	lib, rep, err := openLibraryWith(ctx, cfg, hc, log, false)
	if err != nil {
		return err
	}
	log.Info("index ready", "articles", rep.Articles, "passages", rep.Passages)
	// The first reload updates the chromem-go collection in place, which
	// loading from disk does not make: make it while the bot connects.
	go func() {
		if err := lib.WarmStore(ctx); err != nil && ctx.Err() == nil {
			log.Warn("making the vector store failed; the next reload makes it", "err", err)
		}
	}()
	answerer, err := newAnswerer(cfg, hc, lib, log, true)
	if err != nil {
		return err
	}
	var edit bot.Editor // stays a nil interface for the read-only built-in corpus
	if store != nil {
		e, err := editor.New(store, fetch.New(fetch.Config{}), lib)
		if err != nil {
			return err
		}
		edit = e
	}
	d, err := bot.NewDiscord(cfg.discordConfig(), session, answerer, lib, edit, log)
	if err != nil {
		return err
	}
	if cfg.SyncCommands {
		if err := bot.SyncCommands(ctx, session, cfg.GuildID, log); err != nil {
			return err
		}
	}
	if store != nil {
		wait, err := startFeeds(ctx, cfg, getenv, log, lib, d)
		if err != nil {
			return err
		}
		defer wait()
	}
	return d.Run(ctx)
}

// runCommands handles "commands sync": registering the slash commands is an
// explicit step, not a side effect of starting.
func runCommands(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "sync" {
		return usageError{"usage: crisisbot commands sync [--guild ID] [--discord-api URL]"}
	}
	cfg, warnings := newConfig(getenv)
	fs := flagSet("commands sync", stderr)
	cfg.discordFlags(fs)
	if err := parse(fs, args[1:], &cfg, warnings, stderr); err != nil {
		return err
	}
	if cfg.DiscordToken == "" {
		return usageError{"commands sync: DISCORD_TOKEN is not set"}
	}
	log := newLogger(cfg, stderr)
	session, err := bot.NewDiscordSession(cfg.DiscordToken, cfg.DiscordAPI)
	if err != nil {
		return err
	}
	if err := bot.SyncCommands(ctx, session, cfg.GuildID, log); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "registered %d commands\n", len(bot.Commands()))
	return nil
}
