package fakediscord

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// InteractionSpec describes an interaction to dispatch. Zero fields take
// defaults: a chat-input command in [Config.GuildID]/[Config.ChannelID]
// invoked by [DefaultUserID] with no roles and no permissions.
type InteractionSpec struct {
	// Type is the interaction type; zero means InteractionApplicationCommand.
	Type discordgo.InteractionType
	// Name is the command name (application commands and autocomplete).
	Name string
	// CommandType is the command type; zero means ChatApplicationCommand.
	CommandType discordgo.ApplicationCommandType
	// Options are the command's options.
	Options []Option
	// CustomID is the component's custom_id (component interactions).
	CustomID string
	// ComponentType is the component type; zero means ButtonComponent.
	ComponentType discordgo.ComponentType
	// Values are the selected values of a select menu.
	Values []string
	// MessageID is the message carrying the component; it must exist in ChannelID.
	MessageID string
	// GuildID and ChannelID place the interaction; ignored GuildID in DMs.
	GuildID, ChannelID string
	// DM places the interaction in a DM with User: no guild, no member.
	DM bool
	// User invokes the interaction.
	User User
	// Roles are the member's role IDs (guild only).
	Roles []string
	// Permissions is the member's permission bitfield in the channel, e.g.
	// discordgo.PermissionManageGuild (guild only).
	Permissions int64
	// Locale is the user's locale; default en-US.
	Locale string
	// Attachments are the files an attachment option refers to by ID; they
	// arrive in data.resolved.attachments, as Discord sends them.
	Attachments []Attachment
}

// Attachment is a file uploaded with a command's attachment option. URL is
// where the bot downloads it (Discord's CDN; in tests, a loopback server).
type Attachment struct {
	ID, Filename, ContentType, URL string
	Size                           int
}

// AttachmentOption is an attachment option naming the attachment with id.
func AttachmentOption(name, id string) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionAttachment, Value: id}
}

// Option is a command option in an interaction.
type Option struct {
	// Name is the option name.
	Name string
	// Type is the option type.
	Type discordgo.ApplicationCommandOptionType
	// Value is the option's value: string, int64, float64 or bool.
	Value any
	// Focused marks the option being typed in an autocomplete interaction.
	Focused bool
	// Options are a subcommand's options.
	Options []Option
}

// String is a string option.
func String(name, v string) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
}

// Int is an integer option.
func Int(name string, v int64) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: v}
}

// Bool is a boolean option.
func Bool(name string, v bool) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
}

// Focused is a string option being typed, for autocomplete.
func Focused(name, partial string) Option {
	o := String(name, partial)
	o.Focused = true
	return o
}

// Subcommand is a subcommand option holding opts.
func Subcommand(name string, opts ...Option) Option {
	return Option{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

// Slash is a chat-input command invocation.
func Slash(name string, opts ...Option) InteractionSpec {
	return InteractionSpec{Type: discordgo.InteractionApplicationCommand, Name: name, Options: opts}
}

// Autocomplete is an autocomplete request for command name; one option should be [Focused].
func Autocomplete(name string, opts ...Option) InteractionSpec {
	return InteractionSpec{Type: discordgo.InteractionApplicationCommandAutocomplete, Name: name, Options: opts}
}

// Button is a click on the button customID of message messageID, which must
// exist in the spec's channel.
func Button(customID, messageID string) InteractionSpec {
	return InteractionSpec{Type: discordgo.InteractionMessageComponent, CustomID: customID, ComponentType: discordgo.ButtonComponent, MessageID: messageID}
}

// As sets who invokes the interaction and, in a guild, their permissions and roles.
func (i InteractionSpec) As(u User, perms int64, roles ...string) InteractionSpec {
	i.User, i.Permissions, i.Roles = u, perms, roles
	return i
}

// In places the interaction in a guild channel.
func (i InteractionSpec) In(guildID, channelID string) InteractionSpec {
	i.GuildID, i.ChannelID, i.DM = guildID, channelID, false
	return i
}

// InDM places the interaction in the user's DM with the bot.
func (i InteractionSpec) InDM() InteractionSpec {
	i.DM = true
	return i
}

func optionsJSON(opts []Option) []any {
	out := make([]any, 0, len(opts))
	for _, o := range opts {
		m := map[string]any{"name": o.Name, "type": o.Type}
		if o.Type == discordgo.ApplicationCommandOptionSubCommand || o.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			m["options"] = optionsJSON(o.Options)
		} else {
			m["value"] = o.Value
		}
		if o.Focused {
			m["focused"] = true
		}
		out = append(out, m)
	}
	return out
}

// resolveUserLocked fills defaults in u and remembers the user.
func (s *Server) resolveUserLocked(u User) User {
	if u.ID == "" {
		u.ID = DefaultUserID
	}
	if u.Username == "" {
		if known, ok := s.users[u.ID]; ok {
			u.Username = known.Username
		} else {
			u.Username = "user" + u.ID
		}
	}
	s.users[u.ID] = u
	return u
}

// placeLocked resolves guild and channel, creating the channel if new.
func (s *Server) placeLocked(dm bool, guildID, channelID string, u User) *channel {
	if dm {
		return s.dmChannelLocked(u, channelID)
	}
	if guildID == "" {
		guildID = s.cfg.GuildID
	}
	if channelID == "" {
		channelID = s.cfg.ChannelID
	}
	c := s.channels[channelID]
	if c == nil {
		c = &channel{ID: channelID, Type: channelGuildText, GuildID: guildID, Name: "channel-" + channelID}
		s.addChannelLocked(c)
	}
	return c
}

// AddChannel adds a guild text channel to the fake's state.
func (s *Server) AddChannel(guildID, channelID, name string) {
	s.mu.Lock()
	s.addChannelLocked(&channel{ID: channelID, Type: channelGuildText, GuildID: guildID, Name: name})
	s.mu.Unlock()
}

// DispatchInteraction sends INTERACTION_CREATE and returns the interaction as
// discordgo decodes it; its Token keys [Server.OriginalMessage] and
// [Server.InteractionResponses]. Without a connection the event waits for
// RESUME. It fails the test if the bot has not identified.
func (s *Server) DispatchInteraction(spec InteractionSpec) *discordgo.Interaction {
	s.tb.Helper()
	if spec.Type == 0 {
		spec.Type = discordgo.InteractionApplicationCommand
	}
	s.mu.Lock()
	u := s.resolveUserLocked(spec.User)
	c := s.placeLocked(spec.DM, spec.GuildID, spec.ChannelID, u)
	id := s.ids.next()
	it := &interaction{ID: id, Token: "fake-interaction-token-" + id, AppID: s.cfg.AppID, Type: spec.Type, GuildID: c.GuildID, ChannelID: c.ID, User: u}
	locale := spec.Locale
	if locale == "" {
		locale = "en-US"
	}
	d := map[string]any{
		"id":                    id,
		"application_id":        s.cfg.AppID,
		"type":                  spec.Type,
		"token":                 it.Token,
		"version":               1,
		"channel_id":            c.ID,
		"channel":               c.json(s.cfg.AppID),
		"locale":                locale,
		"app_permissions":       "2248473465835073",
		"entitlements":          []any{},
		"attachment_size_limit": 10485760,
	}
	if c.GuildID != "" {
		d["guild_id"] = c.GuildID
		d["guild_locale"] = "en-US"
		d["guild"] = map[string]any{"id": c.GuildID, "locale": "en-US", "features": []any{}}
		d["member"] = memberJSON(u, spec.Roles, spec.Permissions, s.start, true)
		d["authorizing_integration_owners"] = map[string]any{"0": c.GuildID}
		d["context"] = 0
	} else {
		d["user"] = userJSON(u)
		d["authorizing_integration_owners"] = map[string]any{"0": "0"}
		d["context"] = 1
	}
	switch spec.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		kind := spec.CommandType
		if kind == 0 {
			kind = discordgo.ChatApplicationCommand
		}
		data := map[string]any{"id": s.commandIDLocked(c.GuildID, spec.Name), "name": spec.Name, "type": kind}
		if len(spec.Options) > 0 {
			data["options"] = optionsJSON(spec.Options)
		}
		if _, cmd := s.commandByNameLocked(c.GuildID, spec.Name); cmd != nil && cmd.GuildID != "" {
			data["guild_id"] = cmd.GuildID
		}
		if len(spec.Attachments) > 0 {
			files := map[string]any{}
			for _, a := range spec.Attachments {
				files[a.ID] = map[string]any{"id": a.ID, "filename": a.Filename, "content_type": a.ContentType, "size": a.Size, "url": a.URL, "proxy_url": a.URL}
			}
			data["resolved"] = map[string]any{"attachments": files}
		}
		d["data"] = data
	case discordgo.InteractionMessageComponent:
		m := s.findMessageLocked(c.ID, spec.MessageID)
		if m == nil {
			s.mu.Unlock()
			s.tb.Fatalf("fakediscord: DispatchInteraction: no message %q in channel %s", spec.MessageID, c.ID)
			return nil
		}
		kind := spec.ComponentType
		if kind == 0 {
			kind = discordgo.ButtonComponent
		}
		data := map[string]any{"custom_id": spec.CustomID, "component_type": kind}
		if spec.Values != nil {
			data["values"] = spec.Values
		}
		d["data"] = data
		d["message"] = m.json(s, false)
		it.OriginalID = m.ID
	default:
		s.mu.Unlock()
		s.tb.Fatalf("fakediscord: DispatchInteraction: interaction type %d not supported", spec.Type)
		return nil
	}
	s.interactions[it.Token] = it
	s.mu.Unlock()

	if !s.dispatch(event{t: "INTERACTION_CREATE", d: d, token: it.Token}) {
		s.tb.Fatalf("fakediscord: DispatchInteraction: the bot has not identified")
		return nil
	}
	var out discordgo.Interaction
	s.decodeAs(d, &out)
	return &out
}

// commandIDLocked returns the ID of the registered command name, guild
// commands first, or a fresh ID.
func (s *Server) commandIDLocked(guildID, name string) string {
	if _, c := s.commandByNameLocked(guildID, name); c != nil {
		return c.ID
	}
	return s.ids.next()
}

func (s *Server) commandByNameLocked(guildID, name string) (int, *command) {
	for _, scope := range []string{guildID, ""} {
		for i, c := range s.commands[scope] {
			if c.name() == name {
				return i, c
			}
		}
	}
	return -1, nil
}

// MessageSpec describes a user's message to dispatch. Zero fields take the
// defaults of [InteractionSpec].
type MessageSpec struct {
	// GuildID and ChannelID place the message; ignored GuildID in DMs.
	GuildID, ChannelID string
	// DM places the message in the author's DM with the bot.
	DM bool
	// Author sends the message.
	Author User
	// Roles are the author's role IDs (guild only).
	Roles []string
	// Content is the text; <@id> mentions of known users are resolved.
	Content string
	// MentionBot prefixes Content with a mention of the bot unless it has one.
	MentionBot bool
	// ReplyTo is the ID of a message in the same channel being replied to.
	ReplyTo string
}

// DispatchMessageCreate stores a user's message and sends MESSAGE_CREATE,
// subject to intents as Discord does: guild messages need GUILD_MESSAGES, DMs
// DIRECT_MESSAGES, and without MESSAGE_CONTENT a guild message that does not
// mention the bot arrives with empty content, embeds, attachments and
// components. It returns the full stored message. It fails the test if the
// bot has not identified.
func (s *Server) DispatchMessageCreate(spec MessageSpec) *discordgo.Message {
	s.tb.Helper()
	s.mu.Lock()
	u := s.resolveUserLocked(spec.Author)
	c := s.placeLocked(spec.DM, spec.GuildID, spec.ChannelID, u)
	content := spec.Content
	botMention := "<@" + s.cfg.AppID + ">"
	if spec.MentionBot && !strings.Contains(content, botMention) && !strings.Contains(content, "<@!"+s.cfg.AppID+">") {
		content = botMention + " " + content
	}
	m := &message{ID: s.ids.next(), ChannelID: c.ID, GuildID: c.GuildID, Author: u, Roles: spec.Roles, Content: content, Timestamp: time.Now()}
	m.Mentions = s.parseMentionsLocked(content)
	if spec.ReplyTo != "" {
		if s.findMessageLocked(c.ID, spec.ReplyTo) == nil {
			s.mu.Unlock()
			s.tb.Fatalf("fakediscord: DispatchMessageCreate: no message %q to reply to in %s", spec.ReplyTo, c.ID)
			return nil
		}
		m.Type = 19
		m.Reference = &messageRef{ChannelID: c.ID, MessageID: spec.ReplyTo, GuildID: c.GuildID}
	}
	s.addMessageLocked(m)
	ev := s.messageEventLocked("MESSAGE_CREATE", m)
	full := ev.d
	s.notifyLocked()
	s.mu.Unlock()

	if !s.dispatch(ev) {
		s.tb.Fatalf("fakediscord: DispatchMessageCreate: the bot has not identified")
		return nil
	}
	var out discordgo.Message
	s.decodeAs(full, &out)
	return &out
}

// messageEventLocked builds MESSAGE_CREATE or MESSAGE_UPDATE for m; ephemeral
// messages produce none.
func (s *Server) messageEventLocked(t string, m *message) event {
	if m.ephemeral() {
		return event{}
	}
	d := m.json(s, false)
	if m.GuildID != "" {
		d["guild_id"] = m.GuildID
		if m.WebhookID == "" {
			d["member"] = memberJSON(m.Author, m.Roles, 0, s.start, false)
		}
	}
	return s.messageIntentEvent(t, d, m, true)
}

// messageIntentEvent attaches the intent rules of message events.
func (s *Server) messageIntentEvent(t string, d map[string]any, m *message, hasContent bool) event {
	ev := event{t: t, d: d, need: discordgo.IntentsDirectMessages}
	if m.GuildID == "" {
		return ev
	}
	ev.need = discordgo.IntentsGuildMessages
	exempt := m.Author.ID == s.cfg.AppID
	for _, u := range m.Mentions {
		exempt = exempt || u.ID == s.cfg.AppID
	}
	if hasContent && !exempt {
		stripped := make(map[string]any, len(d))
		for k, v := range d {
			stripped[k] = v
		}
		stripped["content"] = ""
		stripped["embeds"] = []any{}
		stripped["attachments"] = []any{}
		stripped["components"] = []any{}
		ev.noContent = stripped
	}
	return ev
}

// threadCreateEventLocked builds THREAD_CREATE for a new thread.
func (s *Server) threadCreateEventLocked(th *channel) event {
	d := th.json(s.cfg.AppID)
	d["newly_created"] = true
	return event{t: "THREAD_CREATE", d: d, need: discordgo.IntentsGuilds}
}

// decodeAs converts a JSON-shaped value into a discordgo type.
func (s *Server) decodeAs(v, out any) {
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, out)
	}
	if err != nil {
		s.tb.Errorf("fakediscord: decode %T: %v", out, err)
	}
}

// --- accessors

// toMessageLocked renders m as discordgo sees it, with its guild ID.
func (s *Server) toMessageLocked(m *message) *discordgo.Message {
	d := m.json(s, false)
	if m.GuildID != "" {
		d["guild_id"] = m.GuildID
	}
	var out discordgo.Message
	s.decodeAs(d, &out)
	return &out
}

// Messages returns the channel's messages, oldest first, ephemeral ones excepted.
func (s *Server) Messages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*discordgo.Message
	for _, m := range s.messages[channelID] {
		if !m.ephemeral() {
			out = append(out, s.toMessageLocked(m))
		}
	}
	return out
}

// OriginalMessage returns the interaction's original response (ephemeral
// included), or nil before the bot answered with a message or a deferral.
func (s *Server) OriginalMessage(token string) *discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[token]
	if it == nil {
		return nil
	}
	if m := s.findMessageLocked(it.ChannelID, it.OriginalID); m != nil {
		return s.toMessageLocked(m)
	}
	return nil
}

// Followups returns the interaction's follow-up messages in order.
func (s *Server) Followups(token string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[token]
	if it == nil {
		return nil
	}
	var out []*discordgo.Message
	for _, id := range it.Followups {
		if m := s.findMessageLocked(it.ChannelID, id); m != nil {
			out = append(out, s.toMessageLocked(m))
		}
	}
	return out
}

// AutocompleteChoices returns the choices the bot answered an autocomplete interaction with.
func (s *Server) AutocompleteChoices(token string) []*discordgo.ApplicationCommandOptionChoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.interactions[token]
	if it == nil || it.Choices == nil {
		return nil
	}
	var out []*discordgo.ApplicationCommandOptionChoice
	if err := json.Unmarshal(it.Choices, &out); err != nil {
		s.tb.Errorf("fakediscord: decode choices: %v", err)
	}
	return out
}

// InteractionResponses returns the requests made with the interaction's
// token: its callback and every webhook call on it, in order.
func (s *Server) InteractionResponses(token string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		segs := strings.Split(strings.Trim(r.Endpoint(), "/"), "/")
		if len(segs) >= 3 && (segs[0] == "interactions" || segs[0] == "webhooks") && segs[2] == token {
			out = append(out, r)
		}
	}
	return out
}

// Channel returns a channel or thread by ID, or nil.
func (s *Server) Channel(id string) *discordgo.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[id]
	if c == nil {
		return nil
	}
	var out discordgo.Channel
	s.decodeAs(c.json(s.cfg.AppID), &out)
	return &out
}

// Threads returns the threads created so far, oldest first.
func (s *Server) Threads() []*discordgo.Channel {
	s.mu.Lock()
	var ths []*channel
	for _, c := range s.channels {
		if c.isThread() {
			ths = append(ths, c)
		}
	}
	sort.Slice(ths, func(i, j int) bool {
		if !ths[i].Created.Equal(ths[j].Created) {
			return ths[i].Created.Before(ths[j].Created)
		}
		return ths[i].ID < ths[j].ID
	})
	out := make([]*discordgo.Channel, 0, len(ths))
	for _, c := range ths {
		var ch discordgo.Channel
		s.decodeAs(c.json(s.cfg.AppID), &ch)
		out = append(out, &ch)
	}
	s.mu.Unlock()
	return out
}

// Commands returns the registered commands of a guild, or the global ones for "".
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*discordgo.ApplicationCommand
	for _, c := range s.commands[guildID] {
		var cmd discordgo.ApplicationCommand
		s.decodeAs(c.json(s.cfg.AppID), &cmd)
		out = append(out, &cmd)
	}
	return out
}

// String describes the server for logs.
func (s *Server) String() string {
	return fmt.Sprintf("fakediscord(api=%s gateway=%s)", s.APIBase(), s.GatewayURL())
}
