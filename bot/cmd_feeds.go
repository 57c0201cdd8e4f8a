package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// Feeds follows news feeds on a moderator's behalf; [feeds.Service] is
// one.
type Feeds interface {
	Add(ctx context.Context, rawURL, label string, interval time.Duration) (feeds.Feed, error)
	List(ctx context.Context) ([]feeds.Feed, error)
	Remove(ctx context.Context, urlOrID string) (feeds.Feed, error)
}

var _ Feeds = (*feeds.Service)(nil)

// SetFeeds gives /feeds the feed service; call it before [Discord.Run].
// Without it /feeds explains that feeds need a corpus directory. A
// setter, not a parameter of [NewDiscord], so that the commands that do
// not follow feeds need not know of them.
func (d *Discord) SetFeeds(f Feeds) { d.feeds = f }

// feedsCommand is /feeds add|list|remove: moderators choose the outlets
// whose new articles arrive by themselves.
func (d *Discord) feedsCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "feeds",
			DefaultMemberPermissions: moderatorsByDefault(),
			Description:              "Follow news feeds whose new articles join the sources (moderators)",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Follow an RSS or Atom feed", Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "The feed's address (https://…)", Required: true, MaxLength: 2000},
					{Type: discordgo.ApplicationCommandOptionString, Name: "label", Description: "The outlet its articles are credited to (default the feed's title)", MaxLength: 100},
				}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "The feeds followed and how each is doing"},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "remove", Description: "Stop following a feed (its articles stay)", Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "feed", Description: "The feed's address or ID (see /feeds list)", Required: true, MaxLength: 2000},
				}},
			},
		},
		handle: d.handleFeeds,
	}
}

func (d *Discord) handleFeeds(ctx context.Context, i *discordgo.InteractionCreate) {
	if !d.requireModerator(ctx, i, "feeds", "Only moderators (Manage Server, or a moderator role) can change the feeds.") {
		return
	}
	if d.feeds == nil {
		d.feedsReply(ctx, i, "Feeds can't be followed: crisisbot is serving its built-in corpus. Start it with --corpus DIR.")
		return
	}
	opts := i.ApplicationCommandData().Options
	if len(opts) != 1 {
		d.feedsReply(ctx, i, "Use /feeds add, /feeds list or /feeds remove.")
		return
	}
	sub := opts[0]
	arg := map[string]string{}
	for _, o := range sub.Options {
		arg[o.Name] = strings.TrimSpace(o.StringValue())
	}
	switch sub.Name {
	case "add":
		f, err := d.feeds.Add(ctx, arg["url"], arg["label"], 0)
		if err != nil {
			d.log.Info("feed add refused", "by", userOf(i).ID, "err", err)
			d.feedsReply(ctx, i, usererr.MessageOr(err, "That feed could not be added."))
			return
		}
		d.log.Info("feed added", "feed", f.URL, "id", f.ID, "by", userOf(i).ID)
		d.feedsReply(ctx, i, fmt.Sprintf("Following <%s> (ID `%s`) as **%s**. Its new articles arrive at the next poll.", f.URL, f.ID, clip(f.Source(), 100)))
	case "list":
		list, err := d.feeds.List(ctx)
		if err != nil {
			d.log.Error("feed list", "err", err)
			d.feedsReply(ctx, i, "The feeds could not be read.")
			return
		}
		d.feedsReply(ctx, i, feedList(list))
	case "remove":
		f, err := d.feeds.Remove(ctx, arg["feed"])
		if err != nil {
			d.feedsReply(ctx, i, usererr.MessageOr(err, "That feed could not be removed."))
			return
		}
		d.log.Info("feed removed", "feed", f.URL, "id", f.ID, "by", userOf(i).ID)
		d.feedsReply(ctx, i, fmt.Sprintf("Stopped following <%s> (ID `%s`); its articles stay in the sources.", f.URL, f.ID))
	default:
		d.feedsReply(ctx, i, "Use /feeds add, /feeds list or /feeds remove.")
	}
}

// feedsReply answers privately, with no pings and no link previews.
func (d *Discord) feedsReply(ctx context.Context, i *discordgo.InteractionCreate, content string) {
	data := &discordgo.InteractionResponseData{Content: clip(content, 2000), AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsSuppressEmbeds}
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("respond to interaction", "interaction", i.ID, "err", err)
	}
}

// feedList is /feeds list's reply: a line a feed, and its error when it
// is failing, within Discord's 2,000 characters.
func feedList(list []feeds.Feed) string {
	if len(list) == 0 {
		return "No feeds are followed. Add one with /feeds add."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d feed(s):", len(list))
	for n, f := range list {
		line := fmt.Sprintf("\n`%s` **%s** <%s>", f.ID, clip(f.Source(), 80), f.URL)
		switch {
		case f.Failures > 0:
			line += fmt.Sprintf(" — failing (%d in a row since %s): %s", f.Failures, f.FailingSince.UTC().Format("Jan 2 15:04 UTC"), clip(f.LastError, 200))
		case f.LastSuccess.IsZero():
			line += " — not polled yet"
		default:
			line += " — last read " + f.LastSuccess.UTC().Format("Jan 2 15:04 UTC")
		}
		if b.Len()+len(line) > 1900 {
			fmt.Fprintf(&b, "\n…and %d more.", len(list)-n)
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

// Announce posts, in channelID, one message about the articles a poll
// saved ([feeds.Announcement]), pinging no one and showing no previews.
// It posts nothing for a poll that saved none.
func (d *Discord) Announce(ctx context.Context, channelID string, rep feeds.Report) error {
	content := feeds.Announcement(rep)
	if content == "" || channelID == "" {
		return nil
	}
	_, err := d.s.ChannelMessageSendComplex(channelID, &discordgo.MessageSend{
		Content:         content,
		AllowedMentions: noMentions(),
		Flags:           discordgo.MessageFlagsSuppressEmbeds,
	}, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	return nil
}
