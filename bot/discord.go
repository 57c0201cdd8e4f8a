package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Editor changes the corpus on a moderator's behalf and re-indexes;
// [editor.Editor] is one.
type Editor interface {
	AddURL(ctx context.Context, rawURL, by string) (editor.Added, error)
	AddFile(ctx context.Context, name, fileURL, by string) (editor.Added, error)
	Remove(ctx context.Context, id string) (corpus.Removed, retrieval.Report, error)
	Restore(ctx context.Context, r corpus.Removed) (retrieval.Report, error)
}

// Library is what the Discord bot needs of the index: the one serving, and
// a way to rebuild it from the corpus directory.
type Library interface {
	answer.IndexSource
	Reload(ctx context.Context) (retrieval.Report, error)
}

// DiscordConfig configures the Discord adapter. Zero values mean the
// documented defaults.
type DiscordConfig struct {
	// GuildID registers the commands in one server (instant) instead of
	// globally (which Discord takes up to an hour to roll out). It is one
	// of the servers crisisbot is set up for.
	GuildID string
	// Guilds are the other servers (guild IDs) crisisbot is set up for.
	// Moderator commands run only in these servers and GuildID, whatever a
	// member's rights elsewhere: an administrator of any server that adds
	// the bot has Manage Server there. Members' questions are answered
	// only in them too, unless AnyGuild.
	Guilds []string
	// AnyGuild answers members' questions in every server and DM;
	// moderator commands still run only in the servers listed, so with
	// none listed they run nowhere. With neither servers nor AnyGuild,
	// [NewDiscord] refuses.
	AnyGuild bool
	// ModRoles are role IDs (or names) whose members count as moderators,
	// besides members with the Manage Server permission.
	ModRoles []string
	// RatePerMinute and RateBurst shape each user's token bucket
	// (defaults 6 and 3); a negative RatePerMinute disables the limit.
	RatePerMinute float64
	RateBurst     int
	// MaxTrackedUsers caps how many users' buckets are kept (default
	// 20,000, about 250 bytes each); a bucket is forgotten anyway once it
	// has filled up again.
	MaxTrackedUsers int
	// MaxConcurrent caps questions answered at once (default 8);
	// MaxWaiting caps questions queued for a slot (default 32, negative
	// for none): past both, the user is told the bot is busy.
	MaxConcurrent int
	MaxWaiting    int
	// MaxQuestionLen caps a question's length in characters (default 500).
	MaxQuestionLen int
	// AnswerTimeout bounds the work on one question (default 90s).
	AnswerTimeout time.Duration
	// ShutdownGrace bounds how long questions in flight may finish after
	// shutdown begins (default 20s).
	ShutdownGrace time.Duration
	// EditInterval is the least time between two edits of a streaming
	// answer (default 1s).
	EditInterval time.Duration
	// HistoryTurns is how many earlier turns of a thread a follow-up sees
	// (default 4); no more are kept.
	HistoryTurns int
	// HistoryBytes bounds the memory, roughly in bytes, that the threads'
	// histories take in all (default 8 MiB). Past it the threads least
	// recently used are forgotten first, and a thread is forgotten after a
	// week without a message: a forgotten thread's follow-ups need a
	// mention, like a new question.
	HistoryBytes int
	// Private answers go to the asker only (an /ask option overrides).
	Private bool
	// DataDir keeps, under discord/, what must survive a restart: the
	// threads' histories, so follow-ups still read as follow-ups, and the
	// actions behind buttons (Undo, confirm). Empty keeps them in memory:
	// a restart forgets them, and their buttons say they have expired.
	DataDir string
	// MaxThreads caps the threads whose histories are kept, in memory and
	// on disk (default 2,000), besides HistoryBytes.
	MaxThreads int
}

func (c *DiscordConfig) defaults() {
	if c.RatePerMinute == 0 {
		c.RatePerMinute = 6
	}
	if c.RateBurst <= 0 {
		c.RateBurst = 3
	}
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = 8
	}
	if c.MaxWaiting == 0 {
		c.MaxWaiting = 32
	}
	if c.MaxWaiting < 0 {
		c.MaxWaiting = 0
	}
	if c.MaxQuestionLen <= 0 {
		c.MaxQuestionLen = 500
	}
	if c.AnswerTimeout <= 0 {
		c.AnswerTimeout = 90 * time.Second
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 20 * time.Second
	}
	if c.EditInterval <= 0 {
		c.EditInterval = time.Second
	}
	if c.HistoryTurns <= 0 {
		c.HistoryTurns = 4
	}
	if c.HistoryBytes <= 0 {
		c.HistoryBytes = 8 << 20
	}
	if c.MaxTrackedUsers <= 0 {
		c.MaxTrackedUsers = 20_000
	}
	if c.MaxThreads <= 0 {
		c.MaxThreads = 2_000
	}
}

// Discord serves crisisbot on Discord: slash commands, mentions and thread
// follow-ups. Every handler runs with its own deadline derived from the
// bot's work context, which outlives the root context by the shutdown grace
// so questions in flight can finish.
type Discord struct {
	cfg      DiscordConfig
	s        *discordgo.Session
	answerer answer.Answerer
	lib      Library
	editor   Editor // nil when the corpus is read-only (the built-in one)
	feeds    Feeds  // nil when no feeds are followed; see [Discord.SetFeeds]
	log      *slog.Logger
	now      func() time.Time
	limiter  *rateLimiter
	slots    chan struct{}
	guilds   map[string]bool // the servers crisisbot is set up for

	// journal records answers, feedback and actions; nil when nothing is
	// recorded. See [Discord.SetJournal].
	journal Journal

	mu       sync.Mutex
	closing  bool
	waiting  int
	inflight sync.WaitGroup
	threads  *lru[string, []answer.Turn] // threads this bot opened, with their last turns
	pending  *lru[string, pendingAction] // confirmations and undos behind buttons
	cmds     []command                   // built once; dispatch looks them up per interaction

	persistState // threads and buttons on disk; see persist.go

	workCtx    context.Context
	cancelWork context.CancelFunc

	// afterWork, when set, is called with the interaction or message ID of
	// each handler once it has returned, and so has sent all it will send:
	// tests sharing one bot wait on it instead of shutting the bot down.
	afterWork func(id string)
}

// command is one slash command: its definition beside its handler.
type command struct {
	def    *discordgo.ApplicationCommand
	handle func(ctx context.Context, i *discordgo.InteractionCreate)
	// component handles buttons whose custom ID starts with "<name>:".
	component func(ctx context.Context, i *discordgo.InteractionCreate, args string)
	// autocomplete answers autocomplete requests for the command.
	autocomplete func(ctx context.Context, i *discordgo.InteractionCreate)
	// moderator marks a moderator's command: dispatch runs it, its buttons
	// and its autocomplete only in the servers crisisbot is set up for.
	moderator bool
}

// noMentions is set on every message the bot sends, so no @everyone, role
// or user mention in a question, a source or a model's answer notifies
// anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// NewDiscord returns the Discord adapter. The session must not be open yet;
// [Discord.Run] opens it. editor may be nil: then /add and /remove explain
// that the corpus cannot be changed.
func NewDiscord(cfg DiscordConfig, s *discordgo.Session, answerer answer.Answerer, lib Library, editor Editor, log *slog.Logger) (*Discord, error) {
	if s == nil || answerer == nil || lib == nil {
		return nil, errors.New("discord: a session, an answerer and a library are required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.defaults()
	guilds := map[string]bool{}
	for _, g := range append([]string{cfg.GuildID}, cfg.Guilds...) {
		if g = strings.TrimSpace(g); g != "" {
			guilds[g] = true
		}
	}
	if len(guilds) == 0 && !cfg.AnyGuild {
		return nil, errors.New("discord: no servers configured: list the guild IDs crisisbot serves, or allow questions from any guild")
	}
	d := &Discord{
		cfg:      cfg,
		s:        s,
		answerer: answerer,
		lib:      lib,
		editor:   editor,
		log:      log,
		now:      time.Now,
		slots:    make(chan struct{}, cfg.MaxConcurrent),
		guilds:   guilds,
		threads:  newLRU(cfg.HistoryBytes, threadIdle, historyCost),
		pending:  newLRU[string, pendingAction](maxPending, pendingTTL, nil),
	}
	d.threads.maxLen = cfg.MaxThreads
	d.limiter = newRateLimiter(cfg.RatePerMinute, cfg.RateBurst, cfg.MaxTrackedUsers, func() time.Time { return d.now() })
	d.cmds = d.commands()
	d.openState()
	// Intents: guild messages for mentions and thread follow-ups, message
	// content so a follow-up without a mention can be read.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsMessageContent
	return d, nil
}

// commands lists every slash command with its handlers.
func (d *Discord) commands() []command {
	return []command{d.withFeedback(d.askCommand()), d.sourcesCommand(), moderatorOnly(d.reloadCommand()), moderatorOnly(d.addCommand()), moderatorOnly(d.removeCommand()), moderatorOnly(d.feedsCommand()),
		d.timelineCommand(), d.whatsNewCommand(), moderatorOnly(d.labelCommand()),
		moderatorOnly(d.gapsCommand()), moderatorOnly(d.statsCommand())}
}

// moderatorOnly marks c as a moderator's command. The mark is kept here,
// beside the list, so that the server check covers every moderator
// command whoever writes its file.
func moderatorOnly(c command) command {
	c.moderator = true
	return c
}

// moderatorsByDefault is the default member permission of the moderator
// commands: Discord shows them only to members who can manage the server,
// until a server admin allows other roles (a configured moderator role,
// say) under Server Settings → Integrations. It only hides the commands;
// every invocation is still checked, since an admin can open them to
// anyone.
func moderatorsByDefault() *int64 {
	p := int64(discordgo.PermissionManageGuild)
	return &p
}

// Commands returns the slash command definitions with the default limits,
// for registration; [CommandsFor] gives them for a configuration.
func Commands() []*discordgo.ApplicationCommand {
	return CommandsFor(DiscordConfig{})
}

// CommandsFor returns the slash command definitions for cfg: an option's
// declared limits are the ones the bot enforces.
func CommandsFor(cfg DiscordConfig) []*discordgo.ApplicationCommand {
	cfg.defaults()
	var defs []*discordgo.ApplicationCommand
	// Definitions depend on the configuration, not on the bot's state.
	for _, c := range (&Discord{cfg: cfg}).commands() {
		defs = append(defs, c.def)
	}
	return defs
}

// SyncCommands registers the slash commands for cfg with Discord,
// replacing what was registered before: in cfg.GuildID, or globally when
// it is empty. It is an explicit step (crisisbot commands sync, or serve
// --sync-commands) because global registration takes Discord up to an
// hour to roll out.
func SyncCommands(ctx context.Context, s *discordgo.Session, cfg DiscordConfig, log *slog.Logger) error {
	guildID := cfg.GuildID
	me, err := s.User("@me", discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("sync commands: who am I: %w", apiError(s, err))
	}
	got, err := s.ApplicationCommandBulkOverwrite(me.ID, guildID, CommandsFor(cfg), discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("sync commands: %w", apiError(s, err))
	}
	scope := "globally"
	if guildID != "" {
		scope = "in guild " + guildID
	}
	if log != nil {
		log.Info("slash commands registered", "count", len(got), "scope", scope)
	}
	return nil
}

// Run opens the gateway session and serves until ctx is cancelled; then it
// stops taking questions, lets those in flight finish within the shutdown
// grace, and closes the session.
func (d *Discord) Run(ctx context.Context) error {
	d.workCtx, d.cancelWork = context.WithCancel(context.WithoutCancel(ctx))
	defer d.cancelWork()
	handlers := []func(){
		d.s.AddHandler(d.onInteraction),
		d.s.AddHandler(d.onMessage),
		d.s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
			d.log.Info("connected to Discord", "user", r.User.Username, "guilds", len(r.Guilds))
		}),
	}
	defer func() {
		for _, remove := range handlers {
			remove()
		}
	}()
	if err := d.s.Open(); err != nil {
		return gatewayError(apiError(d.s, err))
	}
	<-ctx.Done()
	d.log.Info("shutting down: finishing questions in flight", "grace", d.cfg.ShutdownGrace)
	d.mu.Lock()
	d.closing = true
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d.cfg.ShutdownGrace):
		d.log.Warn("shutdown grace over; abandoning questions in flight")
		d.cancelWork()
		<-done
	}
	if err := d.s.Close(); err != nil {
		return fmt.Errorf("discord: close gateway: %w", err)
	}
	return nil
}

// begin registers a unit of work, or reports false when shutting down.
func (d *Discord) begin() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closing {
		return false
	}
	d.inflight.Add(1)
	return true
}

// handlerContext is the deadline one handler's work runs under.
func (d *Discord) handlerContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(d.workCtx, d.cfg.AnswerTimeout)
}

// work runs one handler's work under the bot's rules: not at all once
// shutdown has begun (it reports false), counted so shutdown waits for it,
// under its own deadline, and with a panic logged rather than taking the
// process down.
func (d *Discord) work(what, id string, f func(ctx context.Context)) bool {
	if !d.begin() {
		return false
	}
	defer d.inflight.Done()
	if d.afterWork != nil {
		defer d.afterWork(id)
	}
	ctx, cancel := d.handlerContext()
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			d.log.Error(what+" handler panicked", "panic", r, "id", id)
		}
	}()
	f(ctx)
	return true
}

func (d *Discord) onInteraction(s *discordgo.Session, i *discordgo.InteractionCreate) {
	if !d.work("interaction", i.ID, func(ctx context.Context) { d.dispatch(ctx, i) }) && i.Type == discordgo.InteractionApplicationCommand {
		d.respondEphemeral(context.Background(), i, "I'm restarting; please ask again in a minute.")
	}
}

// dispatch routes an interaction to its command's handler, once
// [Discord.inScope] allows it where it came from.
func (d *Discord) dispatch(ctx context.Context, i *discordgo.InteractionCreate) {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		name := i.ApplicationCommandData().Name
		c := d.command(name)
		if c == nil {
			d.log.Warn("unknown command", "name", name)
			d.respondEphemeral(ctx, i, "I don't know that command; a moderator may need to sync commands.")
			return
		}
		if refusal := d.inScope(i, c); refusal != "" {
			d.respondEphemeral(ctx, i, refusal)
			return
		}
		c.handle(ctx, i)
	case discordgo.InteractionApplicationCommandAutocomplete:
		c := d.command(i.ApplicationCommandData().Name)
		if c == nil || c.autocomplete == nil {
			return
		}
		if d.inScope(i, c) != "" {
			d.autocompleteNothing(ctx, i)
			return
		}
		c.autocomplete(ctx, i)
	case discordgo.InteractionMessageComponent:
		id := i.MessageComponentData().CustomID
		name, args, _ := strings.Cut(id, ":")
		c := d.command(name)
		if c == nil || c.component == nil {
			// A button of a command since removed, or of another bot
			// version: Discord shows "interaction failed" to a button
			// nobody answers.
			d.log.Warn("unknown component", "custom_id", id)
			d.respondEphemeral(ctx, i, "That button has expired.")
			return
		}
		if refusal := d.inScope(i, c); refusal != "" {
			d.respondEphemeral(ctx, i, refusal)
			return
		}
		c.component(ctx, i, args)
	}
}

// command returns the command called name, or nil.
func (d *Discord) command(name string) *command {
	for n := range d.cmds {
		if d.cmds[n].def.Name == name {
			return &d.cmds[n]
		}
	}
	return nil
}

// inScope returns the refusal for an interaction with c from where it came,
// or "" to go on. A moderator command from a server crisisbot is not set up
// for is refused whatever the member's rights there (a DM goes on, to be
// refused by the command's own moderator check); a member's question is
// refused outside those servers unless AnyGuild.
func (d *Discord) inScope(i *discordgo.InteractionCreate, c *command) string {
	switch {
	case c.moderator && i.GuildID != "" && !d.guilds[i.GuildID]:
		user := userOf(i)
		d.log.Warn(c.def.Name+" refused: server not configured", "user", user.ID, "username", user.Username, "guild", i.GuildID)
		return "Moderator commands work only in the servers crisisbot is set up for."
	case !c.moderator && !d.servesQuestions(i.GuildID):
		d.log.Info("question refused: server not configured", "command", c.def.Name, "guild", i.GuildID, "user", userOf(i).ID)
		return "I answer questions only in the servers I'm set up for."
	}
	return ""
}

// servesQuestions reports whether members' questions from guild (""
// for a DM) are answered.
func (d *Discord) servesQuestions(guild string) bool {
	return d.cfg.AnyGuild || d.guilds[guild]
}

// autocompleteNothing answers an autocomplete request with no choices.
func (d *Discord) autocompleteNothing(ctx context.Context, i *discordgo.InteractionCreate) {
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
	}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("autocomplete", "err", apiError(d.s, err))
	}
}

// userOf returns who sent an interaction: Member in a guild, User in a DM.
func userOf(i *discordgo.InteractionCreate) *discordgo.User {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User
	}
	if i.User != nil {
		return i.User
	}
	return &discordgo.User{}
}

// isModerator checks the invoking member's rights on the server side, for
// every invocation: the command's default permissions are only a hint a
// server admin can override, and a DM has no member and so no rights.
// Rights count only in a server crisisbot is set up for: anyone can add the
// bot to a server of their own and manage it.
func (d *Discord) isModerator(i *discordgo.InteractionCreate) bool {
	if i.Member == nil || !d.guilds[i.GuildID] {
		return false
	}
	if i.Member.Permissions&discordgo.PermissionManageGuild != 0 || i.Member.Permissions&discordgo.PermissionAdministrator != 0 {
		return true
	}
	for _, r := range i.Member.Roles {
		if slices.Contains(d.cfg.ModRoles, r) {
			return true
		}
	}
	return false
}

// respond answers an interaction at once with a message.
func (d *Discord) respond(ctx context.Context, i *discordgo.InteractionCreate, content string, private bool, components []discordgo.MessageComponent) {
	data := &discordgo.InteractionResponseData{Content: content, AllowedMentions: noMentions(), Components: components}
	if private {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("respond to interaction", "interaction", i.ID, "err", apiError(d.s, err))
	}
}

func (d *Discord) respondEphemeral(ctx context.Context, i *discordgo.InteractionCreate, content string) {
	d.respond(ctx, i, content, true, nil)
}

// deferReply acknowledges an interaction within Discord's three seconds;
// the answer follows as an edit.
func (d *Discord) deferReply(ctx context.Context, i *discordgo.InteractionCreate, private bool) error {
	flags := discordgo.MessageFlagsSuppressEmbeds
	if private {
		flags |= discordgo.MessageFlagsEphemeral
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: &discordgo.InteractionResponseData{Flags: flags, AllowedMentions: noMentions()}}
	if err := d.s.InteractionRespond(i.Interaction, resp, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("defer reply: %w", apiError(d.s, err))
	}
	return nil
}

// editReply replaces the deferred reply's content.
func (d *Discord) editReply(ctx context.Context, i *discordgo.InteractionCreate, content string) error {
	return d.editReplyWith(ctx, i, content, nil)
}

// editReplyWith replaces the deferred reply's content and attaches file,
// if not nil.
func (d *Discord) editReplyWith(ctx context.Context, i *discordgo.InteractionCreate, content string, file *discordgo.File) error {
	return d.editReplyFull(ctx, i, content, file, nil)
}

// editReplyFull is editReplyWith with buttons, if any.
func (d *Discord) editReplyFull(ctx context.Context, i *discordgo.InteractionCreate, content string, file *discordgo.File, components []discordgo.MessageComponent) error {
	edit := &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()}
	if file != nil {
		edit.Files = []*discordgo.File{file}
	}
	if components != nil {
		edit.Components = &components
	}
	return d.editOriginal(ctx, i, edit)
}

// sendReply delivers r as the deferred reply and follow-ups, its file and
// buttons attached to the last message.
func (d *Discord) sendReply(ctx context.Context, i *discordgo.InteractionCreate, r reply, private bool) error {
	parts := r.parts
	if len(parts) == 0 {
		parts = []string{answer.NoAnswer}
	}
	last := func(n int) (*discordgo.File, []discordgo.MessageComponent) {
		if n == len(parts)-1 {
			return r.file, r.components
		}
		return nil, nil
	}
	file, components := last(0)
	if err := d.editReplyFull(ctx, i, parts[0], file, components); err != nil {
		return err
	}
	for n, p := range parts[1:] {
		params := &discordgo.WebhookParams{Content: p, AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsSuppressEmbeds}
		f, c := last(n + 1)
		if f != nil {
			params.Files = []*discordgo.File{f}
		}
		params.Components = c
		if private {
			params.Flags |= discordgo.MessageFlagsEphemeral
		}
		if _, err := d.s.FollowupMessageCreate(i.Interaction, true, params, discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("follow-up: %w", apiError(d.s, err))
		}
	}
	return nil
}

// acquire waits for one of the MaxConcurrent answering slots, queueing
// behind at most MaxWaiting others. It returns a release function, or the
// message to give the user when the queue is full.
func (d *Discord) acquire(ctx context.Context) (release func(), refusal string) {
	select {
	case d.slots <- struct{}{}:
		return func() { <-d.slots }, ""
	default:
	}
	d.mu.Lock()
	if d.waiting >= d.cfg.MaxWaiting {
		d.mu.Unlock()
		return nil, fmt.Sprintf("I'm busy answering %d questions. Please try again in a moment.", d.cfg.MaxConcurrent)
	}
	d.waiting++
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.waiting--
		d.mu.Unlock()
	}()
	select {
	case d.slots <- struct{}{}:
		return func() { <-d.slots }, ""
	case <-ctx.Done():
		return nil, "I couldn't get to your question in time. Please try again."
	}
}

func roundUp(d time.Duration) time.Duration {
	if d < time.Second {
		return time.Second
	}
	return d.Round(time.Second)
}

// checkQuestion returns a refusal for a question the bot won't take.
func (d *Discord) checkQuestion(q string) string {
	switch n := len([]rune(q)); {
	case strings.TrimSpace(q) == "":
		return "Please ask a question, e.g. `/ask question: Who announced the ceasefire?`"
	case n > d.cfg.MaxQuestionLen:
		return fmt.Sprintf("That question is %d characters long; the limit is %d. Please shorten it.", n, d.cfg.MaxQuestionLen)
	}
	return ""
}

// friendly is what a user sees when answering failed; the cause goes to
// the log.
func friendly(err error) string {
	switch {
	case errors.Is(err, answer.ErrNoIndex):
		return "I have no sources loaded yet. A moderator can run /reload."
	case errors.Is(err, context.DeadlineExceeded):
		return "Sorry, that took too long to answer. Please try again."
	}
	return "Sorry, something went wrong while answering. Please try again later."
}

// ErrTokenRejected is returned when Discord's gateway closes the
// connection because the token is not valid.
var ErrTokenRejected = errors.New("discord: the gateway rejected the token — reset it under Bot in the Developer Portal (https://discord.com/developers/applications) and put the new one in DISCORD_TOKEN")

// gatewayError says what a failed gateway connection means for the person
// running the bot: a 401 when asking for the gateway's address, or close
// code 4004 after identifying, is a token to replace, not a network fault
// to retry.
func gatewayError(err error) error {
	var ce *websocket.CloseError
	var re *discordgo.RESTError
	if errors.As(err, &ce) && ce.Code == 4004 ||
		errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return fmt.Errorf("%w (%v)", ErrTokenRejected, err)
	}
	return fmt.Errorf("discord: open gateway: %w", err)
}
