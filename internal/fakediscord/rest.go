package fakediscord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// maxContent is the longest message content Discord accepts from bots, in characters.
const maxContent = 2000

// routes builds the REST mux. Patterns keep the version as a wildcard so
// /api/v9/ and /api/v10/ are both served.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	h := func(pattern string, f http.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" /api/{version}"+path, f)
	}
	h("GET /gateway", s.getGateway)
	h("GET /gateway/bot", s.getGatewayBot)
	h("GET /users/@me", s.getMe)
	h("GET /users/{user}", s.getUser)
	h("POST /users/@me/channels", s.createDM)

	for _, scope := range []string{"/applications/{app}/commands", "/applications/{app}/guilds/{guild}/commands"} {
		h("GET "+scope, s.listCommands)
		h("PUT "+scope, s.overwriteCommands)
		h("POST "+scope, s.createCommand)
		h("GET "+scope+"/{command}", s.getCommand)
		h("PATCH "+scope+"/{command}", s.editCommand)
		h("DELETE "+scope+"/{command}", s.deleteCommand)
	}

	h("POST /interactions/{interaction}/{token}/callback", s.interactionCallback)
	h("POST /webhooks/{app}/{token}", s.executeWebhook)
	h("GET /webhooks/{app}/{token}/messages/{message}", s.getWebhookMessage)
	h("PATCH /webhooks/{app}/{token}/messages/{message}", s.editWebhookMessage)
	h("DELETE /webhooks/{app}/{token}/messages/{message}", s.deleteWebhookMessage)

	h("GET /channels/{channel}", s.getChannel)
	h("GET /channels/{channel}/messages", s.listMessages)
	h("POST /channels/{channel}/messages", s.createMessage)
	h("GET /channels/{channel}/messages/{message}", s.getMessage)
	h("PATCH /channels/{channel}/messages/{message}", s.editMessage)
	h("DELETE /channels/{channel}/messages/{message}", s.deleteMessage)
	h("POST /channels/{channel}/messages/{message}/threads", s.startThreadFromMessage)
	h("POST /channels/{channel}/threads", s.startThread)
	h("POST /channels/{channel}/typing", s.typing)

	mux.HandleFunc("/", s.notFound)
	return mux
}

// serveAPI records, validates, possibly faults, and serves one REST request.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	rec := Request{
		N:      s.order.Add(1),
		Time:   time.Now(),
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.addError(fmt.Errorf("%s %s: read body: %w", r.Method, r.URL.Path, err))
	}
	parseBody(&rec, r.Header, body)
	r.Body = io.NopCloser(bytes.NewReader(body))

	v := s.cfg.Validator
	if v != nil {
		if err := v.ValidateRequest(r); err != nil {
			s.addError(fmt.Errorf("request %s %s: %w", r.Method, r.URL.Path, err))
		}
		// A Validator may leave the body consumed; the handler reads it afresh.
		r.Body = io.NopCloser(bytes.NewReader(body))
	}

	cw := &captureWriter{header: http.Header{}, status: http.StatusOK}
	s.rateLimitHeaders(cw.header, r, 4, time.Second)
	checkResponse := true
	switch f := s.takeFault(r); {
	case f != nil:
		rec.Fault = true
		checkResponse = f.status == http.StatusTooManyRequests
		s.writeFault(cw, r, f)
	case !s.authorized(r):
		apiError(cw, http.StatusUnauthorized, 0, "401: Unauthorized")
	default:
		s.mux.ServeHTTP(cw, r)
	}

	if v != nil && checkResponse {
		if err := v.ValidateResponse(r, cw.status, cw.header, cw.body.Bytes()); err != nil {
			s.addError(fmt.Errorf("response %d to %s %s: %w", cw.status, r.Method, r.URL.Path, err))
		}
	}

	rec.Status = cw.status
	rec.Response = append(json.RawMessage(nil), cw.body.Bytes()...)
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.notifyLocked()
	s.mu.Unlock()

	for k, vs := range cw.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(cw.status)
	_, _ = w.Write(cw.body.Bytes())
}

// captureWriter buffers a response so it can be validated and recorded.
type captureWriter struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(status int) {
	if !c.wroteHeader {
		c.status, c.wroteHeader = status, true
	}
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return c.body.Write(b)
}

// authorized checks the bot token on routes that need one; interaction and
// webhook-token routes are authorised by their token.
func (s *Server) authorized(r *http.Request) bool {
	ep := endpoint(r.URL.Path)
	if strings.HasPrefix(ep, "/interactions/") || strings.HasPrefix(ep, "/webhooks/") {
		return true
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bot ")
	if !ok || tok == "" {
		return false
	}
	return s.cfg.Token == "" || tok == strings.TrimPrefix(s.cfg.Token, "Bot ")
}

// rateLimitHeaders sets Discord's per-route rate-limit headers.
func (s *Server) rateLimitHeaders(h http.Header, r *http.Request, remaining int, resetAfter time.Duration) {
	hash := fnv.New64a()
	_, _ = hash.Write([]byte(r.Method + " " + routeKey(r.URL.Path)))
	reset := float64(time.Now().Add(resetAfter).UnixMilli()) / 1000
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(reset, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(resetAfter.Seconds(), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", fmt.Sprintf("%016x", hash.Sum64()))
}

// routeKey keeps the major parameter of a path and drops the rest, like Discord's buckets.
func routeKey(path string) string {
	segs := strings.Split(strings.Trim(endpoint(path), "/"), "/")
	if len(segs) > 2 {
		segs = segs[:2]
	}
	return strings.Join(segs, "/")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		apiError(w, http.StatusInternalServerError, 0, "fakediscord: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// apiError writes Discord's error object.
func apiError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// restErr is an answer in Discord's error shape, decided under s.mu and
// written after it is released.
type restErr struct {
	status, code int
	msg          string
}

// commit runs change under s.mu, wakes waiters whether or not it fails, and
// then answers with change's error, or dispatches its events and writes out
// with okStatus (no body for 204). Events go out after the unlock because
// dispatching takes s.mu.
func (s *Server) commit(w http.ResponseWriter, okStatus int, change func() (out any, evs []event, e *restErr)) {
	s.mu.Lock()
	out, evs, e := change()
	s.notifyLocked()
	s.mu.Unlock()
	if e != nil {
		apiError(w, e.status, e.code, e.msg)
		return
	}
	s.send(evs...)
	if okStatus == http.StatusNoContent {
		noContent(w)
		return
	}
	writeJSON(w, okStatus, out)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.addError(fmt.Errorf("fakediscord serves no route %s %s", r.Method, r.URL.Path))
	apiError(w, http.StatusNotFound, 0, "404: Not Found")
}

// --- gateway, users

func (s *Server) getGateway(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"url": s.GatewayURL()})
}

func (s *Server) getGatewayBot(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": 1,
		},
	})
}

func (s *Server) getMe(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	u := userJSON(s.users[s.cfg.AppID])
	s.mu.Unlock()
	u["mfa_enabled"] = false
	u["locale"] = "en-US"
	u["verified"] = true
	u["email"] = nil
	u["banner"] = nil
	u["accent_color"] = nil
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u, ok := s.users[r.PathValue("user")]
	s.mu.Unlock()
	if !ok {
		apiError(w, http.StatusNotFound, 10013, "Unknown User")
		return
	}
	writeJSON(w, http.StatusOK, userJSON(u))
}

func (s *Server) createDM(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RecipientID string `json:"recipient_id"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	u, ok := s.users[req.RecipientID]
	if !ok {
		s.mu.Unlock()
		apiError(w, http.StatusBadRequest, 50033, "Invalid Recipient(s)")
		return
	}
	c := s.dmChannelLocked(u, "")
	out := c.json(s.cfg.AppID)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// decodeJSON decodes the request body, answering 400 when it is not JSON.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		apiError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return false
	}
	return true
}

// --- application commands

func (s *Server) commandScope(w http.ResponseWriter, r *http.Request) (guild string, ok bool) {
	if r.PathValue("app") != s.cfg.AppID {
		apiError(w, http.StatusForbidden, 50001, "Missing Access")
		return "", false
	}
	return r.PathValue("guild"), true
}

func (s *Server) listCommands(w http.ResponseWriter, r *http.Request) {
	guild, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	out := make([]any, 0, len(s.commands[guild]))
	for _, c := range s.commands[guild] {
		out = append(out, c.json(s.cfg.AppID))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) overwriteCommands(w http.ResponseWriter, r *http.Request) {
	guild, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	var bodies []map[string]any
	if !decodeJSON(w, r, &bodies) {
		return
	}
	for _, b := range bodies {
		if msg := checkCommand(b); msg != "" {
			apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+msg)
			return
		}
	}
	s.mu.Lock()
	old := s.commands[guild]
	next := make([]*command, 0, len(bodies))
	out := make([]any, 0, len(bodies))
	for _, b := range bodies {
		c := &command{ID: s.ids.next(), GuildID: guild, Version: s.ids.next(), Body: stripNulls(b).(map[string]any)}
		for _, o := range old {
			if o.name() == c.name() && o.kind() == c.kind() {
				c.ID = o.ID
			}
		}
		next = append(next, c)
		out = append(out, c.json(s.cfg.AppID))
	}
	s.commands[guild] = next
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) createCommand(w http.ResponseWriter, r *http.Request) {
	guild, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	var b map[string]any
	if !decodeJSON(w, r, &b) {
		return
	}
	if msg := checkCommand(b); msg != "" {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: "+msg)
		return
	}
	s.mu.Lock()
	c := &command{ID: s.ids.next(), GuildID: guild, Version: s.ids.next(), Body: stripNulls(b).(map[string]any)}
	status := http.StatusCreated
	for i, o := range s.commands[guild] {
		if o.name() == c.name() && o.kind() == c.kind() {
			c.ID = o.ID
			s.commands[guild][i] = c
			status = http.StatusOK
		}
	}
	if status == http.StatusCreated {
		s.commands[guild] = append(s.commands[guild], c)
	}
	out := c.json(s.cfg.AppID)
	s.mu.Unlock()
	writeJSON(w, status, out)
}

// checkCommand applies Discord's rules for command names and descriptions.
func checkCommand(b map[string]any) string {
	name, _ := b["name"].(string)
	if name == "" || utf8.RuneCountInString(name) > 32 {
		return "name must be 1-32 characters"
	}
	kind, _ := b["type"].(float64)
	if kind == 0 || kind == 1 {
		if strings.ToLower(name) != name || strings.ContainsAny(name, " ") {
			return "chat command names must be lowercase without spaces"
		}
		desc, _ := b["description"].(string)
		if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
			return "chat command descriptions must be 1-100 characters"
		}
	}
	return ""
}

func (s *Server) findCommandLocked(guild, id string) (int, *command) {
	for i, c := range s.commands[guild] {
		if c.ID == id {
			return i, c
		}
	}
	return -1, nil
}

func (s *Server) getCommand(w http.ResponseWriter, r *http.Request) {
	guild, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	_, c := s.findCommandLocked(guild, r.PathValue("command"))
	var out map[string]any
	if c != nil {
		out = c.json(s.cfg.AppID)
	}
	s.mu.Unlock()
	if c == nil {
		apiError(w, http.StatusNotFound, 10063, "Unknown application command")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) editCommand(w http.ResponseWriter, r *http.Request) {
	guild, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	var b map[string]any
	if !decodeJSON(w, r, &b) {
		return
	}
	s.mu.Lock()
	_, c := s.findCommandLocked(guild, r.PathValue("command"))
	var out map[string]any
	if c != nil {
		for k, v := range stripNulls(b).(map[string]any) {
			c.Body[k] = v
		}
		c.Version = s.ids.next()
		out = c.json(s.cfg.AppID)
	}
	s.mu.Unlock()
	if c == nil {
		apiError(w, http.StatusNotFound, 10063, "Unknown application command")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) deleteCommand(w http.ResponseWriter, r *http.Request) {
	guild, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	i, c := s.findCommandLocked(guild, r.PathValue("command"))
	if c != nil {
		s.commands[guild] = append(s.commands[guild][:i], s.commands[guild][i+1:]...)
	}
	s.mu.Unlock()
	if c == nil {
		apiError(w, http.StatusNotFound, 10063, "Unknown application command")
		return
	}
	noContent(w)
}

// --- message payloads

// messagePayload is the body of message create and edit requests and of
// interaction responses' data.
type messagePayload struct {
	Content          *string      `json:"content"`
	Embeds           *[]any       `json:"embeds"`
	Components       *[]any       `json:"components"`
	Attachments      *[]any       `json:"attachments"`
	Flags            *int         `json:"flags"`
	TTS              bool         `json:"tts"`
	MessageReference *referenceIn `json:"message_reference"`
	Choices          *[]any       `json:"choices"`
}

type referenceIn struct {
	MessageID       string `json:"message_id"`
	ChannelID       string `json:"channel_id"`
	GuildID         string `json:"guild_id"`
	FailIfNotExists *bool  `json:"fail_if_not_exists"`
}

// readMessagePayload decodes a JSON or multipart body into a payload and the files it carries.
func readMessagePayload(w http.ResponseWriter, r *http.Request) (messagePayload, []File, bool) {
	var p messagePayload
	body, files := readJSONAndFiles(r)
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &p); err != nil {
			apiError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
			return p, nil, false
		}
	}
	return p, files, true
}

// readJSONAndFiles returns the JSON of a body, taken from the payload_json
// part of a multipart body, and the files of a multipart body, parsed as
// [Request] records them.
func readJSONAndFiles(r *http.Request) ([]byte, []File) {
	body, _ := io.ReadAll(r.Body)
	var rec Request
	parseBody(&rec, r.Header, body)
	return rec.JSON, rec.Files
}

// apply sets the payload's fields on m; files become attachments.
func (s *Server) applyPayloadLocked(m *message, p messagePayload, files []File) {
	if p.Content != nil {
		m.Content = *p.Content
		m.Mentions = s.parseMentionsLocked(m.Content)
	}
	if p.Embeds != nil {
		m.Embeds = normaliseEmbeds(stripNulls(*p.Embeds).([]any))
	}
	if p.Components != nil {
		m.Components = numberComponents(stripNulls(*p.Components).([]any))
	}
	if p.Attachments != nil {
		keep := map[string]bool{}
		for _, a := range *p.Attachments {
			if am, ok := a.(map[string]any); ok {
				keep[fmt.Sprint(am["id"])] = true
			}
		}
		kept := m.Attachments[:0]
		for _, a := range m.Attachments {
			if keep[fmt.Sprint(a["id"])] {
				kept = append(kept, a)
			}
		}
		m.Attachments = kept
	}
	for _, f := range files {
		id := s.ids.next()
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		m.Attachments = append(m.Attachments, map[string]any{
			"id":           id,
			"filename":     f.Name,
			"size":         f.Size,
			"content_type": ct,
			"url":          "https://cdn.discordapp.com/attachments/" + m.ChannelID + "/" + id + "/" + f.Name,
			"proxy_url":    "https://media.discordapp.net/attachments/" + m.ChannelID + "/" + id + "/" + f.Name,
		})
	}
}

// checkMessage returns the Discord error for a message it would refuse, or nil.
func checkMessage(m *message) *restErr {
	if n := utf8.RuneCountInString(m.Content); n > maxContent {
		return &restErr{http.StatusBadRequest, 50035, fmt.Sprintf("Invalid Form Body: content: Must be %d or fewer in length (got %d).", maxContent, n)}
	}
	if len(m.Embeds) > 10 {
		return &restErr{http.StatusBadRequest, 50035, "Invalid Form Body: embeds: Must be 10 or fewer in length."}
	}
	if m.empty() {
		return &restErr{http.StatusBadRequest, 50006, "Cannot send an empty message"}
	}
	return nil
}

// parseMentionsLocked finds <@id> and <@!id> mentions of known users.
func (s *Server) parseMentionsLocked(content string) []User {
	var out []User
	seen := map[string]bool{}
	for rest := content; ; {
		i := strings.Index(rest, "<@")
		if i < 0 {
			break
		}
		rest = rest[i+2:]
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			break
		}
		id := strings.TrimPrefix(rest[:j], "!")
		if u, ok := s.users[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, u)
		}
	}
	return out
}

// --- interactions and their webhooks

func (s *Server) interactionCallback(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	body, files := readJSONAndFiles(r)
	if err := json.Unmarshal(body, &req); err != nil {
		apiError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	var p messagePayload
	if len(req.Data) > 0 && string(req.Data) != "null" {
		if err := json.Unmarshal(req.Data, &p); err != nil {
			apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: data")
			return
		}
	}

	s.commit(w, http.StatusNoContent, func() (any, []event, *restErr) {
		it := s.interactions[r.PathValue("token")]
		if it == nil || it.ID != r.PathValue("interaction") {
			return nil, nil, &restErr{http.StatusNotFound, 10062, "Unknown interaction"}
		}
		if s.cfg.AckDeadline > 0 && !it.Delivered.IsZero() && time.Since(it.Delivered) > s.cfg.AckDeadline {
			return nil, nil, &restErr{http.StatusNotFound, 10062, "Unknown interaction"}
		}
		if it.AckType != 0 {
			return nil, nil, &restErr{http.StatusBadRequest, 40060, "Interaction has already been acknowledged."}
		}
		if !callbackAllowed(it.Type, req.Type) {
			return nil, nil, &restErr{http.StatusBadRequest, 50035, fmt.Sprintf("Invalid Form Body: type: response type %d is not valid for interaction type %d", req.Type, it.Type)}
		}
		var evs []event
		switch req.Type {
		case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
			m := s.newInteractionMessageLocked(it)
			if req.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
				m.Flags = int(discordgo.MessageFlagsLoading)
			} else {
				s.applyPayloadLocked(m, p, files)
				if e := checkMessage(m); e != nil {
					return nil, nil, e
				}
			}
			if p.Flags != nil {
				m.Flags |= *p.Flags & int(discordgo.MessageFlagsEphemeral|discordgo.MessageFlagsSuppressEmbeds|discordgo.MessageFlagsSuppressNotifications)
			}
			s.addMessageLocked(m)
			it.OriginalID = m.ID
			evs = append(evs, s.messageEventLocked("MESSAGE_CREATE", m))
		case discordgo.InteractionResponseDeferredMessageUpdate:
			// The component's message stays as it is until @original is edited.
		case discordgo.InteractionResponseUpdateMessage:
			m := s.findMessageLocked(it.ChannelID, it.OriginalID)
			if m == nil {
				return nil, nil, &restErr{http.StatusNotFound, 10008, "Unknown Message"}
			}
			_, updated, e := s.editLocked(m, p, files, func(*message) {})
			if e != nil {
				return nil, nil, e
			}
			evs = append(evs, updated...)
		case discordgo.InteractionApplicationCommandAutocompleteResult:
			if p.Choices == nil || len(*p.Choices) > 25 {
				return nil, nil, &restErr{http.StatusBadRequest, 50035, "Invalid Form Body: data.choices: must be 0-25 choices"}
			}
			it.Choices, _ = json.Marshal(*p.Choices)
		case discordgo.InteractionResponseModal:
			it.Modal = append(json.RawMessage(nil), req.Data...)
		}
		it.AckType = req.Type
		return nil, evs, nil
	})
}

// callbackAllowed reports whether Discord accepts response type rt for interaction type it.
func callbackAllowed(it discordgo.InteractionType, rt discordgo.InteractionResponseType) bool {
	switch it {
	case discordgo.InteractionApplicationCommand:
		return rt == 4 || rt == 5 || rt == 9 || rt == 10 || rt == 12
	case discordgo.InteractionMessageComponent:
		return rt == 4 || rt == 5 || rt == 6 || rt == 7 || rt == 9 || rt == 10
	case discordgo.InteractionApplicationCommandAutocomplete:
		return rt == 8
	case discordgo.InteractionModalSubmit:
		return rt == 4 || rt == 5 || rt == 6 || rt == 7
	}
	return false
}

// newInteractionMessageLocked starts a message the application posts for an interaction.
func (s *Server) newInteractionMessageLocked(it *interaction) *message {
	typ := 0
	if it.Type == discordgo.InteractionApplicationCommand {
		typ = 20 // CHAT_INPUT_COMMAND
	}
	return &message{
		ID:            s.ids.next(),
		Type:          typ,
		ChannelID:     it.ChannelID,
		GuildID:       it.GuildID,
		Author:        s.users[s.cfg.AppID],
		Timestamp:     time.Now(),
		WebhookID:     s.cfg.AppID,
		ApplicationID: s.cfg.AppID,
		Interaction:   it.Token,
	}
}

// webhookInteraction resolves the interaction behind a webhook route.
func (s *Server) webhookInteractionLocked(r *http.Request) *interaction {
	it := s.interactions[r.PathValue("token")]
	if it == nil || it.AppID != r.PathValue("app") {
		return nil
	}
	return it
}

func (s *Server) executeWebhook(w http.ResponseWriter, r *http.Request) {
	p, files, ok := readMessagePayload(w, r)
	if !ok {
		return
	}
	// Interaction follow-ups always return the message, whatever ?wait says.
	s.commit(w, http.StatusOK, func() (any, []event, *restErr) {
		it := s.webhookInteractionLocked(r)
		if it == nil || it.AckType == 0 {
			return nil, nil, &restErr{http.StatusNotFound, 10015, "Unknown Webhook"}
		}
		m := s.newInteractionMessageLocked(it)
		m.Type = 0
		s.applyPayloadLocked(m, p, files)
		if p.Flags != nil {
			m.Flags = *p.Flags & int(discordgo.MessageFlagsEphemeral|discordgo.MessageFlagsSuppressEmbeds|discordgo.MessageFlagsSuppressNotifications)
		}
		if e := checkMessage(m); e != nil {
			return nil, nil, e
		}
		s.addMessageLocked(m)
		it.Followups = append(it.Followups, m.ID)
		return m.json(s, false), []event{s.messageEventLocked("MESSAGE_CREATE", m)}, nil
	})
}

// webhookMessageLocked resolves /webhooks/{app}/{token}/messages/{message}.
func (s *Server) webhookMessageLocked(r *http.Request) (*message, *restErr) {
	it := s.webhookInteractionLocked(r)
	if it == nil {
		return nil, &restErr{http.StatusNotFound, 10015, "Unknown Webhook"}
	}
	id := r.PathValue("message")
	if id == "@original" {
		id = it.OriginalID
	} else if id != it.OriginalID && !slices.Contains(it.Followups, id) {
		id = ""
	}
	m := s.findMessageLocked(it.ChannelID, id)
	if m == nil {
		return nil, &restErr{http.StatusNotFound, 10008, "Unknown Message"}
	}
	return m, nil
}

// editLocked applies an edit to m on a copy, adjusts it, and commits it
// only if the result is a valid message, returning the message's JSON and
// the MESSAGE_UPDATE to dispatch, or Discord's error.
func (s *Server) editLocked(m *message, p messagePayload, files []File, adjust func(*message)) (map[string]any, []event, *restErr) {
	edited := *m
	edited.Attachments = append([]map[string]any(nil), m.Attachments...)
	s.applyPayloadLocked(&edited, p, files)
	adjust(&edited)
	if e := checkMessage(&edited); e != nil {
		return nil, nil, e
	}
	now := time.Now()
	edited.Edited = &now
	*m = edited
	return m.json(s, false), []event{s.messageEventLocked("MESSAGE_UPDATE", m)}, nil
}

func (s *Server) getWebhookMessage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	m, e := s.webhookMessageLocked(r)
	var out map[string]any
	if m != nil {
		out = m.json(s, false)
	}
	s.mu.Unlock()
	if e != nil {
		apiError(w, e.status, e.code, e.msg)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) editWebhookMessage(w http.ResponseWriter, r *http.Request) {
	p, files, ok := readMessagePayload(w, r)
	if !ok {
		return
	}
	s.commit(w, http.StatusOK, func() (any, []event, *restErr) {
		m, e := s.webhookMessageLocked(r)
		if e != nil {
			return nil, nil, e
		}
		return s.editLocked(m, p, files, func(e *message) { e.Flags &^= int(discordgo.MessageFlagsLoading) })
	})
}

func (s *Server) deleteWebhookMessage(w http.ResponseWriter, r *http.Request) {
	s.commit(w, http.StatusNoContent, func() (any, []event, *restErr) {
		m, e := s.webhookMessageLocked(r)
		if e != nil {
			return nil, nil, e
		}
		return nil, []event{s.deleteMessageLocked(m)}, nil
	})
}

// --- channels and messages

func (s *Server) channelLocked(w http.ResponseWriter, r *http.Request) *channel {
	c := s.channels[r.PathValue("channel")]
	if c == nil {
		apiError(w, http.StatusNotFound, 10003, "Unknown Channel")
	}
	return c
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.channelLocked(w, r); c != nil {
		writeJSON(w, http.StatusOK, c.json(s.cfg.AppID))
	}
}

func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body: limit: must be 1-100")
			return
		}
		limit = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channelLocked(w, r)
	if c == nil {
		return
	}
	var visible []*message
	for _, m := range s.messages[c.ID] {
		if !m.ephemeral() {
			visible = append(visible, m)
		}
	}
	idx := func(id string) int {
		for i, m := range visible {
			if m.ID == id {
				return i
			}
		}
		return -1
	}
	lo, hi := 0, len(visible) // oldest-first window [lo, hi)
	switch {
	case q.Get("before") != "":
		if i := idx(q.Get("before")); i >= 0 {
			hi = i
		}
		lo = max(0, hi-limit)
	case q.Get("after") != "":
		if i := idx(q.Get("after")); i >= 0 {
			lo = i + 1
		}
		hi = min(len(visible), lo+limit)
	case q.Get("around") != "":
		if i := idx(q.Get("around")); i >= 0 {
			lo = max(0, i-limit/2)
			hi = min(len(visible), lo+limit)
		}
	default:
		lo = max(0, hi-limit)
	}
	out := make([]any, 0, hi-lo)
	for i := hi - 1; i >= lo; i-- { // newest first
		out = append(out, visible[i].json(s, false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getMessage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channelLocked(w, r)
	if c == nil {
		return
	}
	m := s.findMessageLocked(c.ID, r.PathValue("message"))
	if m == nil || m.ephemeral() {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	writeJSON(w, http.StatusOK, m.json(s, false))
}

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	p, files, ok := readMessagePayload(w, r)
	if !ok {
		return
	}
	s.commit(w, http.StatusOK, func() (any, []event, *restErr) {
		c := s.channels[r.PathValue("channel")]
		if c == nil {
			return nil, nil, &restErr{http.StatusNotFound, 10003, "Unknown Channel"}
		}
		m := &message{ID: s.ids.next(), ChannelID: c.ID, GuildID: c.GuildID, Author: s.users[s.cfg.AppID], Timestamp: time.Now(), TTS: p.TTS}
		s.applyPayloadLocked(m, p, files)
		if p.Flags != nil {
			m.Flags = *p.Flags & int(discordgo.MessageFlagsSuppressEmbeds|discordgo.MessageFlagsSuppressNotifications)
		}
		if ref := p.MessageReference; ref != nil && ref.MessageID != "" {
			refCh := ref.ChannelID
			if refCh == "" {
				refCh = c.ID
			}
			if s.findMessageLocked(refCh, ref.MessageID) == nil {
				if ref.FailIfNotExists == nil || *ref.FailIfNotExists {
					return nil, nil, &restErr{http.StatusBadRequest, 50035, "Invalid Form Body: message_reference: Unknown message"}
				}
			} else {
				m.Type = 19 // REPLY
				m.Reference = &messageRef{ChannelID: refCh, MessageID: ref.MessageID, GuildID: c.GuildID}
			}
		}
		if e := checkMessage(m); e != nil {
			return nil, nil, e
		}
		s.addMessageLocked(m)
		return m.json(s, false), []event{s.messageEventLocked("MESSAGE_CREATE", m)}, nil
	})
}

func (s *Server) editMessage(w http.ResponseWriter, r *http.Request) {
	p, files, ok := readMessagePayload(w, r)
	if !ok {
		return
	}
	s.commit(w, http.StatusOK, func() (any, []event, *restErr) {
		c := s.channels[r.PathValue("channel")]
		if c == nil {
			return nil, nil, &restErr{http.StatusNotFound, 10003, "Unknown Channel"}
		}
		m := s.findMessageLocked(c.ID, r.PathValue("message"))
		if m == nil || m.ephemeral() {
			return nil, nil, &restErr{http.StatusNotFound, 10008, "Unknown Message"}
		}
		if m.Author.ID != s.cfg.AppID && (p.Content != nil || p.Embeds != nil || p.Attachments != nil || len(files) > 0) {
			return nil, nil, &restErr{http.StatusForbidden, 50005, "Cannot edit a message authored by another user"}
		}
		return s.editLocked(m, p, files, func(e *message) {
			if p.Flags != nil {
				e.Flags = *p.Flags
			}
		})
	})
}

func (s *Server) deleteMessage(w http.ResponseWriter, r *http.Request) {
	s.commit(w, http.StatusNoContent, func() (any, []event, *restErr) {
		c := s.channels[r.PathValue("channel")]
		if c == nil {
			return nil, nil, &restErr{http.StatusNotFound, 10003, "Unknown Channel"}
		}
		m := s.findMessageLocked(c.ID, r.PathValue("message"))
		if m == nil {
			return nil, nil, &restErr{http.StatusNotFound, 10008, "Unknown Message"}
		}
		return nil, []event{s.deleteMessageLocked(m)}, nil
	})
}

// threadRequest is the body of both thread-start routes.
type threadRequest struct {
	Name                string `json:"name"`
	AutoArchiveDuration int    `json:"auto_archive_duration"`
	RateLimitPerUser    int    `json:"rate_limit_per_user"`
	Type                int    `json:"type"`
}

func (t threadRequest) check() string {
	if n := utf8.RuneCountInString(t.Name); n < 1 || n > 100 {
		return "Invalid Form Body: name: Must be between 1 and 100 in length."
	}
	switch t.AutoArchiveDuration {
	case 0, 60, 1440, 4320, 10080:
		return ""
	}
	return "Invalid Form Body: auto_archive_duration: must be 60, 1440, 4320 or 10080"
}

func (s *Server) startThreadFromMessage(w http.ResponseWriter, r *http.Request) {
	var req threadRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if msg := req.check(); msg != "" {
		apiError(w, http.StatusBadRequest, 50035, msg)
		return
	}
	s.commit(w, http.StatusCreated, func() (any, []event, *restErr) {
		parent := s.channels[r.PathValue("channel")]
		if parent == nil {
			return nil, nil, &restErr{http.StatusNotFound, 10003, "Unknown Channel"}
		}
		if parent.Type != channelGuildText && parent.Type != 5 {
			return nil, nil, &restErr{http.StatusBadRequest, 50024, "Cannot execute action on this channel type"}
		}
		m := s.findMessageLocked(parent.ID, r.PathValue("message"))
		if m == nil || m.ephemeral() {
			return nil, nil, &restErr{http.StatusNotFound, 10008, "Unknown Message"}
		}
		if m.ThreadID != "" {
			return nil, nil, &restErr{http.StatusBadRequest, 160004, "A thread has already been created for this message"}
		}
		th := s.newThreadLocked(parent, m.ID, channelPublicThread, req)
		m.ThreadID = th.ID
		m.Flags |= int(discordgo.MessageFlagsHasThread)
		return th.json(s.cfg.AppID), []event{s.threadCreateEventLocked(th)}, nil
	})
}

func (s *Server) startThread(w http.ResponseWriter, r *http.Request) {
	var req threadRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if msg := req.check(); msg != "" {
		apiError(w, http.StatusBadRequest, 50035, msg)
		return
	}
	typ := req.Type
	if typ == 0 {
		typ = channelPrivThread // Discord's default for threads without a message
	}
	s.commit(w, http.StatusCreated, func() (any, []event, *restErr) {
		parent := s.channels[r.PathValue("channel")]
		if parent == nil {
			return nil, nil, &restErr{http.StatusNotFound, 10003, "Unknown Channel"}
		}
		if parent.Type != channelGuildText && parent.Type != 5 {
			return nil, nil, &restErr{http.StatusBadRequest, 50024, "Cannot execute action on this channel type"}
		}
		th := s.newThreadLocked(parent, s.ids.next(), typ, req)
		return th.json(s.cfg.AppID), []event{s.threadCreateEventLocked(th)}, nil
	})
}

func (s *Server) newThreadLocked(parent *channel, id string, typ int, req threadRequest) *channel {
	archive := req.AutoArchiveDuration
	if archive == 0 {
		archive = 1440
	}
	th := &channel{
		ID:           id,
		Type:         typ,
		GuildID:      parent.GuildID,
		Name:         req.Name,
		ParentID:     parent.ID,
		OwnerID:      s.cfg.AppID,
		ArchiveAfter: archive,
		RateLimit:    req.RateLimitPerUser,
		Created:      time.Now(),
	}
	s.addChannelLocked(th)
	return th
}

func (s *Server) typing(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	c := s.channelLocked(w, r)
	s.mu.Unlock()
	if c != nil {
		noContent(w)
	}
}

// --- state helpers

func (s *Server) addChannelLocked(c *channel) {
	if c.Created.IsZero() {
		c.Created = time.Now()
	}
	s.channels[c.ID] = c
}

// dmChannelLocked returns the DM channel with u, creating it (with id when given).
func (s *Server) dmChannelLocked(u User, id string) *channel {
	for _, c := range s.channels {
		if c.Type == channelDM && c.Recipient.ID == u.ID && (id == "" || c.ID == id) {
			return c
		}
	}
	if id == "" {
		id = s.ids.next()
	}
	c := &channel{ID: id, Type: channelDM, Recipient: u}
	s.addChannelLocked(c)
	return c
}

func (s *Server) addMessageLocked(m *message) {
	s.messages[m.ChannelID] = append(s.messages[m.ChannelID], m)
	if c := s.channels[m.ChannelID]; c != nil {
		if !m.ephemeral() {
			c.LastMessageID = m.ID
		}
		if c.isThread() {
			c.MessageCount++
		}
	}
}

func (s *Server) findMessageLocked(channelID, id string) *message {
	if id == "" {
		return nil
	}
	for _, m := range s.messages[channelID] {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// deleteMessageLocked removes m and returns its MESSAGE_DELETE event.
func (s *Server) deleteMessageLocked(m *message) event {
	list := s.messages[m.ChannelID]
	for i, x := range list {
		if x == m {
			s.messages[m.ChannelID] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	d := map[string]any{"id": m.ID, "channel_id": m.ChannelID}
	if m.GuildID != "" {
		d["guild_id"] = m.GuildID
	}
	return s.messageIntentEvent("MESSAGE_DELETE", d, m, false)
}
