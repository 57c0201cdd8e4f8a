package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/bot"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/internal/fetch"
)

func (c *config) discordFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DiscordAPI, "discord-api", c.DiscordAPI, "Discord REST base `URL`, for a proxy or a test server (env CRISISBOT_DISCORD_API)")
	fs.StringVar(&c.GuildID, "guild", c.GuildID, "register commands in the server `ID` only, instantly; it is served (env CRISISBOT_GUILD_ID)")
}

// serveFlags are the flags only serve takes: which servers it serves.
func (c *config) serveFlags(fs *flag.FlagSet) {
	fs.Func("guilds", "serve the servers `IDS`, comma-separated, besides --guild (env CRISISBOT_GUILDS)", func(v string) error {
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
		DataDir:        c.Data,
	}
}

// runServe runs the Discord bot: config → logger → index → answerer →
// session → bot, then serves until the context is cancelled.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := commandFlags("serve", commandDoc{
		Summary: "run the Discord bot: /ask, mentions and threads for members; /reload, /add, /remove and /feeds for moderators",
		Usage:   []string{"serve [--corpus DIR] [--guilds IDS | --any-guild] [--sync-commands]"},
		About: "The bot's token comes from DISCORD_TOKEN only (never put it on the command line); it is\n" +
			"checked with Discord before the corpus is indexed. serve answers only in the servers\n" +
			"listed in CRISISBOT_GUILDS (or --guilds, or the one of --guild), unless --any-guild.\n" +
			"It logs at info level unless CRISISBOT_LOG_LEVEL says otherwise.",
		Examples: []string{
			"serve --corpus ./articles --guilds 123456789012345678",
			"serve --corpus ./articles --guild 123456789012345678 --sync-commands",
		},
		Env: append(append(discordEnv(), corpusEnv()...), llmEnv()...),
	}, stderr)
	cfg.corpusFlags(fs)
	cfg.answerFlags(fs)
	cfg.discordFlags(fs)
	cfg.serveFlags(fs)
	opsCfg, warnings := newOps(fs, getenv, warnings)
	fs.BoolVar(&cfg.SyncCommands, "sync-commands", false, "register the slash commands before serving")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if cfg.DiscordToken == "" {
		return usageError{"serve: DISCORD_TOKEN is not set: copy the token from Bot in the Developer Portal (https://discord.com/developers/applications) into it"}
	}
	if cfg.GuildID == "" && len(cfg.Guilds) == 0 && !cfg.AnyGuild {
		// Global commands reach every server that adds the bot: it serves
		// none of them unless told which, or told to answer in all.
		return usageError{"serve: no servers configured. List the guild IDs crisisbot serves in CRISISBOT_GUILDS (or --guilds, or register the commands in one with --guild), " +
			"or pass --any-guild to answer questions in every server (moderator commands then run only in the servers listed: with none, nowhere)"}
	}
	if !cfg.LogLevelSet {
		// A server's log is read later, not between a user and an answer.
		cfg.LogLevel, cfg.LogLevelSet = slog.LevelInfo, true
	}
	log := newLogger(cfg, stderr)
	// The cheap checks of the configuration come before indexing, which
	// may take minutes (and paid embedding calls) on a large corpus.
	session, err := bot.NewDiscordSession(cfg.DiscordToken, cfg.DiscordAPI)
	if err != nil {
		return err
	}
	if err := checkToken(ctx, session); err != nil {
		return fmt.Errorf("serve: %w", err)
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
	ops, err := opsCfg.start(ctx, cfg.Data, log, session, lib)
	if err != nil {
		return err
	}
	defer ops.close()
	answerer, served := ops.answerer(answerer), ops.library(lib)
	var edit bot.Editor // stays a nil interface for the read-only built-in corpus
	if store != nil {
		e, err := editor.New(store, fetch.New(fetch.Config{}), served)
		if err != nil {
			return err
		}
		edit = e
	}
	d, err := bot.NewDiscord(cfg.discordConfig(), session, answerer, served, edit, log)
	if err != nil {
		return err
	}
	ops.attach(d)
	if cfg.SyncCommands {
		if err := bot.SyncCommands(ctx, session, cfg.discordConfig(), log); err != nil {
			return err
		}
	}
	if store != nil {
		wait, err := startFeeds(ctx, cfg, getenv, log, served, d, ops.journal)
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
	cfg, warnings := newConfig(getenv)
	fs := commandFlags("commands sync", commandDoc{
		Summary: "register the slash commands with Discord (once, and after an upgrade that changes them)",
		Usage:   []string{"commands sync [--guild ID] [--discord-api URL]"},
		About: "With --guild the commands appear at once in that server; without it they are global,\n" +
			"which Discord takes up to an hour to roll out.",
		Examples: []string{"commands sync --guild 123456789012345678"},
		Env:      []string{"DISCORD_TOKEN", "CRISISBOT_LOG_LEVEL"},
	}, stderr)
	cfg.discordFlags(fs)
	if len(args) == 0 || args[0] != "sync" {
		if wantsHelp(args) {
			fs.Usage()
			return flag.ErrHelp
		}
		return usageError{"usage: crisisbot commands sync [--guild ID] [--discord-api URL]"}
	}
	if err := parse(fs, args[1:], &cfg, warnings, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("commands sync: unexpected argument %q", fs.Arg(0))}
	}
	if cfg.DiscordToken == "" {
		return usageError{"commands sync: DISCORD_TOKEN is not set: copy the token from Bot in the Developer Portal (https://discord.com/developers/applications) into it"}
	}
	log := newLogger(cfg, stderr)
	session, err := bot.NewDiscordSession(cfg.DiscordToken, cfg.DiscordAPI)
	if err != nil {
		return err
	}
	if err := checkToken(ctx, session); err != nil {
		return fmt.Errorf("commands sync: %w", err)
	}
	if err := bot.SyncCommands(ctx, session, cfg.discordConfig(), log); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "registered %d commands\n", len(bot.CommandsFor(cfg.discordConfig())))
	return nil
}

// tokenCheckTimeout bounds the check of the bot's token at start-up.
const tokenCheckTimeout = 20 * time.Second

// checkToken asks Discord who the token belongs to, so that a wrong or
// reset token is reported at once, saying what to do, rather than after
// indexing as a gateway failure.
func checkToken(ctx context.Context, s *discordgo.Session) error {
	ctx, cancel := context.WithTimeout(ctx, tokenCheckTimeout)
	defer cancel()
	_, err := s.User("@me", discordgo.WithContext(ctx))
	var rest *discordgo.RESTError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized:
		return errors.New("discord: the token was rejected — reset it under Bot in the Developer Portal (https://discord.com/developers/applications) and put the new one in DISCORD_TOKEN")
	}
	return fmt.Errorf("discord: checking the token: %w", err)
}
