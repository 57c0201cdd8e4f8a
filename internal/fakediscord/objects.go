package fakediscord

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// User is a Discord user as the fake knows it.
type User struct {
	// ID is the user's snowflake; zero means [DefaultUserID].
	ID string
	// Username is the user's name; zero means [DefaultUsername] or "user<ID>".
	Username string
	// Bot marks bot accounts.
	Bot bool
}

// userJSON renders a user object (UserResponse).
func userJSON(u User) map[string]any {
	m := map[string]any{
		"id":            u.ID,
		"username":      u.Username,
		"discriminator": "0",
		"global_name":   nil,
		"avatar":        nil,
		"public_flags":  0,
		"flags":         0,
		"primary_guild": nil,
	}
	if u.Bot {
		m["bot"] = true
	}
	return m
}

// memberJSON renders a guild member; withUser adds the user object and
// permissions, as in interactions.
func memberJSON(u User, roles []string, perms int64, joined time.Time, withUser bool) map[string]any {
	if roles == nil {
		roles = []string{}
	}
	m := map[string]any{
		"roles":                        roles,
		"joined_at":                    timestamp(joined),
		"deaf":                         false,
		"mute":                         false,
		"flags":                        0,
		"pending":                      false,
		"nick":                         nil,
		"avatar":                       nil,
		"banner":                       nil,
		"premium_since":                nil,
		"communication_disabled_until": nil,
	}
	if withUser {
		m["user"] = userJSON(u)
		m["permissions"] = fmt.Sprint(perms)
	}
	return m
}

// Channel types the fake models.
const (
	channelGuildText    = 0
	channelDM           = 1
	channelPublicThread = 11
	channelPrivThread   = 12
)

// channel is a channel or thread in the fake's state.
type channel struct {
	ID            string
	Type          int
	GuildID       string
	Name          string
	ParentID      string // threads
	OwnerID       string // threads
	Recipient     User   // DMs
	LastMessageID string
	ArchiveAfter  int // threads: auto_archive_duration in minutes
	RateLimit     int
	Created       time.Time
	MessageCount  int
}

func (c *channel) isThread() bool {
	return c.Type == 10 || c.Type == channelPublicThread || c.Type == channelPrivThread
}

// json renders the channel as GuildChannelResponse, PrivateChannelResponse or ThreadResponse.
func (c *channel) json(botID string) map[string]any {
	var last any
	if c.LastMessageID != "" {
		last = c.LastMessageID
	}
	m := map[string]any{
		"id":              c.ID,
		"type":            c.Type,
		"flags":           0,
		"last_message_id": last,
	}
	switch {
	case c.Type == channelDM:
		m["recipients"] = []any{userJSON(c.Recipient)}
	case c.isThread():
		m["guild_id"] = c.GuildID
		m["parent_id"] = c.ParentID
		m["owner_id"] = c.OwnerID
		m["name"] = c.Name
		m["rate_limit_per_user"] = c.RateLimit
		m["message_count"] = c.MessageCount
		m["total_message_sent"] = c.MessageCount
		m["member_count"] = 1
		m["thread_metadata"] = map[string]any{
			"archived":              false,
			"archive_timestamp":     timestamp(c.Created),
			"auto_archive_duration": c.ArchiveAfter,
			"locked":                false,
			"create_timestamp":      timestamp(c.Created),
		}
		m["member"] = map[string]any{
			"id":             c.ID,
			"user_id":        botID,
			"join_timestamp": timestamp(c.Created),
			"flags":          1,
		}
	default:
		m["guild_id"] = c.GuildID
		m["name"] = c.Name
		m["position"] = 0
		m["parent_id"] = nil
		m["topic"] = nil
		m["nsfw"] = false
		m["rate_limit_per_user"] = 0
		m["permission_overwrites"] = []any{}
	}
	return m
}

// message is a message in the fake's state.
type message struct {
	ID              string
	Type            int
	ChannelID       string
	GuildID         string
	Author          User
	Roles           []string // author's roles, for MESSAGE_CREATE's member
	Content         string
	Timestamp       time.Time
	Edited          *time.Time
	TTS             bool
	Mentions        []User
	MentionRoles    []string
	MentionEveryone bool
	Attachments     []map[string]any
	Embeds          []any
	Components      []any
	Flags           int
	WebhookID       string
	ApplicationID   string
	Reference       *messageRef
	ThreadID        string
	Interaction     string // token of the interaction it answers
}

type messageRef struct {
	ChannelID, MessageID, GuildID string
}

func (m *message) ephemeral() bool { return m.Flags&int(discordgo.MessageFlagsEphemeral) != 0 }

// empty reports whether the message has nothing Discord would show.
func (m *message) empty() bool {
	return strings.TrimSpace(m.Content) == "" && len(m.Embeds) == 0 && len(m.Attachments) == 0 && len(m.Components) == 0
}

// json renders the message as MessageResponse; lookup resolves the
// referenced message and thread.
func (m *message) json(s *Server, nested bool) map[string]any {
	mentions := make([]any, 0, len(m.Mentions))
	for _, u := range m.Mentions {
		mentions = append(mentions, userJSON(u))
	}
	roles := m.MentionRoles
	if roles == nil {
		roles = []string{}
	}
	var edited any
	if m.Edited != nil {
		edited = timestamp(*m.Edited)
	}
	atts := make([]any, 0, len(m.Attachments))
	for _, a := range m.Attachments {
		atts = append(atts, a)
	}
	out := map[string]any{
		"id":               m.ID,
		"type":             m.Type,
		"channel_id":       m.ChannelID,
		"author":           userJSON(m.Author),
		"content":          m.Content,
		"timestamp":        timestamp(m.Timestamp),
		"edited_timestamp": edited,
		"tts":              m.TTS,
		"mention_everyone": m.MentionEveryone,
		"mentions":         mentions,
		"mention_roles":    roles,
		"attachments":      atts,
		"embeds":           nonNil(m.Embeds),
		"components":       nonNil(m.Components),
		"flags":            m.Flags,
		"pinned":           false,
	}
	if m.WebhookID != "" {
		out["webhook_id"] = m.WebhookID
	}
	if m.ApplicationID != "" {
		out["application_id"] = m.ApplicationID
	}
	if m.Reference != nil {
		ref := map[string]any{"type": 0, "channel_id": m.Reference.ChannelID, "message_id": m.Reference.MessageID}
		if m.Reference.GuildID != "" {
			ref["guild_id"] = m.Reference.GuildID
		}
		out["message_reference"] = ref
		if !nested {
			if rm := s.findMessageLocked(m.Reference.ChannelID, m.Reference.MessageID); rm != nil {
				out["referenced_message"] = rm.json(s, true)
			} else {
				out["referenced_message"] = nil
			}
		}
	}
	if m.ThreadID != "" && !nested {
		if th := s.channels[m.ThreadID]; th != nil {
			out["thread"] = th.json(s.cfg.AppID)
		}
	}
	return out
}

func nonNil(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

// command is a registered application command.
type command struct {
	ID      string
	GuildID string
	Version string
	Body    map[string]any // as sent, normalised
}

func (c *command) name() string { s, _ := c.Body["name"].(string); return s }

func (c *command) kind() float64 {
	if t, ok := c.Body["type"].(float64); ok {
		return t
	}
	return 1
}

// json renders ApplicationCommandResponse.
func (c *command) json(appID string) map[string]any {
	out := map[string]any{}
	for k, v := range c.Body {
		switch k {
		case "default_permission", "id", "application_id", "version", "guild_id":
			continue
		}
		out[k] = v
	}
	out["id"] = c.ID
	out["application_id"] = appID
	out["version"] = c.Version
	out["type"] = c.kind()
	if _, ok := out["description"]; !ok {
		out["description"] = ""
	}
	// Discord answers with the permission bit set as a decimal string,
	// whichever form the request used.
	switch p := out["default_member_permissions"].(type) {
	case float64:
		out["default_member_permissions"] = strconv.FormatInt(int64(p), 10)
	case string:
	default:
		out["default_member_permissions"] = nil
	}
	if _, ok := out["nsfw"]; !ok {
		out["nsfw"] = false
	}
	if _, ok := out["integration_types"]; !ok {
		out["integration_types"] = []any{0}
	}
	if c.GuildID != "" {
		out["guild_id"] = c.GuildID
	} else if _, ok := out["contexts"]; !ok {
		out["contexts"] = nil
	}
	if _, ok := out["options"]; !ok || out["options"] == nil {
		delete(out, "options")
	}
	return out
}

// interaction is the fake's record of a dispatched interaction.
type interaction struct {
	ID, Token, AppID   string
	Type               discordgo.InteractionType
	GuildID, ChannelID string
	User               User
	Delivered          time.Time // when INTERACTION_CREATE reached a live connection
	AckType            discordgo.InteractionResponseType
	OriginalID         string // message the @original alias points at
	Followups          []string
	Choices            json.RawMessage // autocomplete result
	Modal              json.RawMessage
}

// stripNulls removes null members from JSON objects, recursively, the way
// Discord omits unset fields in what it echoes back.
func stripNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if x == nil {
				delete(t, k)
				continue
			}
			t[k] = stripNulls(x)
		}
	case []any:
		for i, x := range t {
			t[i] = stripNulls(x)
		}
	}
	return v
}

// numberComponents gives components without one a numeric id, depth first,
// as Discord does.
func numberComponents(comps []any) []any {
	next := 1
	var walk func([]any)
	walk = func(list []any) {
		for _, c := range list {
			m, ok := c.(map[string]any)
			if !ok {
				continue
			}
			if _, ok := m["id"]; !ok {
				m["id"] = next
			}
			next++
			if sub, ok := m["components"].([]any); ok {
				walk(sub)
			}
			if acc, ok := m["accessory"].(map[string]any); ok {
				walk([]any{acc})
			}
		}
	}
	walk(comps)
	return comps
}

// normaliseEmbeds defaults each embed's type to rich.
func normaliseEmbeds(embeds []any) []any {
	for _, e := range embeds {
		if m, ok := e.(map[string]any); ok {
			if _, ok := m["type"]; !ok {
				m["type"] = "rich"
			}
		}
	}
	return embeds
}
