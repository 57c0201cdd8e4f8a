package bot

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// webhookEdit is an edit of an interaction's message with the flags that
// discordgo's [discordgo.WebhookEdit] lacks: Discord takes
// SUPPRESS_EMBEDS on an edit (the only flag an edit may change).
type webhookEdit struct {
	*discordgo.WebhookEdit
	Flags discordgo.MessageFlags `json:"flags,omitempty"`
}

// editOriginal replaces the interaction's reply as edit says, with link
// previews suppressed: an answer's sources are links to follow, and a
// preview of each would bury the answer. It is
// [discordgo.Session.InteractionResponseEdit] plus the flag.
func (d *Discord) editOriginal(ctx context.Context, i *discordgo.InteractionCreate, edit *discordgo.WebhookEdit) error {
	uri := discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original")
	body := webhookEdit{WebhookEdit: edit, Flags: discordgo.MessageFlagsSuppressEmbeds}
	var err error
	if len(edit.Files) > 0 {
		contentType, payload, merr := discordgo.MultipartBodyWithJSON(body, edit.Files)
		if merr != nil {
			return fmt.Errorf("edit reply: %w", merr)
		}
		_, err = d.s.RequestRaw("PATCH", uri, contentType, payload, uri, 0, discordgo.WithContext(ctx))
	} else {
		_, err = d.s.RequestWithBucketID("PATCH", uri, body, discordgo.EndpointWebhookToken("", ""), discordgo.WithContext(ctx))
	}
	if err != nil {
		return fmt.Errorf("edit reply: %w", apiError(d.s, err))
	}
	return nil
}
