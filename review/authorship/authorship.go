// Package authorship decides whether a commit was written by an AI assistant and keeps every
// marker it found as evidence for the reviewer.
package authorship

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
)

// Commit is what the detector looks at.
type Commit struct {
	AuthorName, AuthorEmail       string
	CommitterName, CommitterEmail string
	Message                       string // full raw commit message (subject, body, trailers)
	AINote                        string // the commit's note on refs/notes/ai written by git-ai, "" when none
}

// Evidence kinds: where in the commit a marker was found.
const (
	KindTrailer   = "trailer"
	KindAuthor    = "author"
	KindCommitter = "committer"
	KindMessage   = "message"
	KindNote      = "note"
)

// Evidence is one matched marker.
type Evidence struct {
	Kind      string `json:"kind"`      // KindTrailer, KindAuthor, KindCommitter, KindMessage or KindNote
	Text      string `json:"text"`      // the matching line or identity, as written in the commit
	Assistant string `json:"assistant"` // human name of the tool, e.g. "Claude Code"
}

// Marker is an organisation's own marker from config. Exactly one of the match fields is set.
type Marker struct {
	Assistant string // name shown to the reviewer
	Email     string // full e-mail address, case-insensitive: matched against author, committer and Co-authored-by trailers
	Name      string // full author/committer name or bot login, e.g. "acme-bot[bot]" (exact, case-insensitive)
	Trailer   string // a trailer key, e.g. "AI-Tool": any line "AI-Tool: value" matches
	Message   string // a Go regexp matched against each message line
}

// Detector holds the built-in markers merged with an organisation's own.
// It is read-only after New and safe for concurrent use.
type Detector struct {
	emails map[string]string // lower-case e-mail → assistant
	logins map[string]string // lower-case GitHub login (name or noreply e-mail) → assistant

	skelOnce               sync.Once
	skelEmails, skelLogins map[string]bool   // NormalizeIdentity of every e-mail and login
	trailers               map[string]string // lower-case trailer key → assistant ("" means: the tool named in the value)
	messages               []messageMarker
}

type messageMarker struct {
	re        *regexp.Regexp
	assistant string
}

// githubNoreply is the domain of GitHub's per-account addresses; it identifies a login, never an AI
// on its own, so only the login in front of it is looked up.
const githubNoreply = "users.noreply.github.com"

// New builds a detector from the built-in table plus the organisation's markers.
func New(extra []Marker) (*Detector, error) {
	d := &Detector{
		emails:   make(map[string]string, len(builtinEmails)+len(extra)),
		logins:   make(map[string]string, len(builtinLogins)+len(extra)),
		trailers: make(map[string]string, len(builtinTrailers)+len(extra)),
	}
	for e, a := range builtinEmails {
		d.emails[e] = a
	}
	for l, a := range builtinLogins {
		d.logins[l] = a
	}
	for k, a := range builtinTrailers {
		d.trailers[k] = a
	}
	for i, m := range extra {
		if err := d.add(m); err != nil {
			return nil, fmt.Errorf("authorship marker %d: %w", i+1, err)
		}
	}
	return d, nil
}

func (d *Detector) add(m Marker) error {
	email, name := strings.TrimSpace(m.Email), strings.TrimSpace(m.Name)
	trailer, message := strings.TrimSpace(m.Trailer), m.Message
	set := 0
	for _, f := range []string{email, name, trailer, message} {
		if f != "" {
			set++
		}
	}
	if set != 1 {
		return fmt.Errorf("set exactly one of email, name, trailer or message (found %d)", set)
	}
	assistant := strings.TrimSpace(m.Assistant)
	switch {
	case email != "":
		if !strings.Contains(email, "@") || strings.ContainsAny(email, " \t<>") {
			return fmt.Errorf("email %q is not a full e-mail address", email)
		}
		d.emails[strings.ToLower(email)] = orDefault(assistant, email)
	case name != "":
		d.logins[strings.ToLower(name)] = orDefault(assistant, name)
	case trailer != "":
		if strings.ContainsAny(trailer, ": \t") {
			return fmt.Errorf("trailer %q must be a key without ':' or spaces, e.g. \"AI-Tool\"", trailer)
		}
		// An empty assistant names the tool from the trailer's value, as Assisted-by does.
		d.trailers[strings.ToLower(trailer)] = assistant
	default:
		re, err := regexp.Compile(message)
		if err != nil {
			return fmt.Errorf("message regexp %q: %v", message, oneLine(err.Error()))
		}
		d.messages = append(d.messages, messageMarker{re: re, assistant: orDefault(assistant, message)})
	}
	return nil
}

// Detect returns every marker found in c, in the order author, committer, message lines top to
// bottom, then the git-ai note; nil when the commit is not AI-authored.
func (d *Detector) Detect(c Commit) []Evidence {
	var found evidenceSet
	if a, ok := d.identity(c.AuthorName, c.AuthorEmail); ok {
		found.add(Evidence{Kind: KindAuthor, Text: formatIdentity(c.AuthorName, c.AuthorEmail), Assistant: a})
	}
	if a, ok := d.identity(c.CommitterName, c.CommitterEmail); ok {
		found.add(Evidence{Kind: KindCommitter, Text: formatIdentity(c.CommitterName, c.CommitterEmail), Assistant: a})
	}
	d.scanMessage(c.Message, &found)
	for _, e := range noteEvidence(c.AINote) {
		found.add(e)
	}
	return found.list
}

// IsAIIdentity reports whether an author, committer or co-author with this name and e-mail counts
// as an AI assistant.
func (d *Detector) IsAIIdentity(name, email string) bool {
	if _, ok := d.identity(name, email); ok {
		return true
	}
	// A reviewer identity is someone's claim, so it is also compared in
	// normalized form: no spelling of an assistant's address gets through.
	emails, logins := d.skeletons()
	fe := foldIdentity(email)
	if fe != "" && emails[confusables.Skeleton(fe)] {
		return true
	}
	if login, ok := noreplyLogin(fe); ok {
		if l := NormalizeIdentity(login); logins[l] || l == NormalizeIdentity(githubCopilotLogin) {
			return true
		}
	}
	nn := NormalizeIdentity(name)
	if nn != "" && logins[nn] {
		return true
	}
	_, ok := d.identity(foldIdentity(name), fe)
	return ok
}

// skeletons are the normalized forms of every AI e-mail and login, built
// once.
func (d *Detector) skeletons() (emails, logins map[string]bool) {
	d.skelOnce.Do(func() {
		d.skelEmails = make(map[string]bool, len(d.emails))
		for e := range d.emails {
			d.skelEmails[NormalizeIdentity(e)] = true
		}
		d.skelLogins = make(map[string]bool, len(d.logins))
		for l := range d.logins {
			d.skelLogins[NormalizeIdentity(l)] = true
		}
	})
	return d.skelEmails, d.skelLogins
}

func (d *Detector) identity(name, email string) (string, bool) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, ok := d.emails[email]; ok && email != "" {
		return a, true
	}
	if login, ok := noreplyLogin(email); ok {
		if login == githubCopilotLogin {
			return "GitHub Copilot", true
		}
		if a, ok := d.logins[login]; ok {
			return a, true
		}
	}
	name = strings.TrimSpace(name)
	if a, ok := d.logins[strings.ToLower(name)]; ok && name != "" {
		return a, true
	}
	// aider commits as "<user's name> (aider)" with the user's own e-mail.
	if prefix, ok := strings.CutSuffix(name, " (aider)"); ok && strings.TrimSpace(prefix) != "" {
		return "Aider", true
	}
	return "", false
}

// noreplyLogin returns LOGIN from "ID+LOGIN@users.noreply.github.com" or the older
// "LOGIN@users.noreply.github.com"; email must already be lower-case.
func noreplyLogin(email string) (string, bool) {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || domain != githubNoreply || local == "" {
		return "", false
	}
	if id, login, ok := strings.Cut(local, "+"); ok {
		if id == "" || strings.TrimFunc(id, isASCIIDigit) != "" || login == "" {
			return "", false
		}
		return login, true
	}
	return local, true
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func (d *Detector) scanMessage(msg string, found *evidenceSet) {
	subject := true
	for len(msg) > 0 {
		line, rest, _ := strings.Cut(msg, "\n")
		msg = rest
		line = strings.TrimSuffix(line, "\r")
		text := strings.TrimSpace(line)
		if text == "" {
			continue
		}
		if subject {
			subject = false
			if strings.HasPrefix(text, "aider: ") {
				found.add(Evidence{Kind: KindMessage, Text: text, Assistant: "Aider"})
			}
		}
		d.scanTrailer(text, found)
		if a, ok := generatedWith(text); ok {
			found.add(Evidence{Kind: KindMessage, Text: text, Assistant: a})
		}
		for _, m := range d.messages {
			if m.re.MatchString(line) {
				found.add(Evidence{Kind: KindMessage, Text: text, Assistant: m.assistant})
			}
		}
	}
}

// scanTrailer looks at one trimmed line of the form "Key: value".
func (d *Detector) scanTrailer(text string, found *evidenceSet) {
	i := strings.IndexByte(text, ':')
	if i <= 0 {
		return
	}
	key := strings.ToLower(strings.TrimSpace(text[:i]))
	value := strings.TrimSpace(text[i+1:])
	if value == "" || strings.ContainsAny(key, " \t") {
		return
	}
	if key == "co-authored-by" {
		name, email := splitIdentity(value)
		if a, ok := d.identity(name, email); ok {
			found.add(Evidence{Kind: KindTrailer, Text: text, Assistant: a})
		}
		return
	}
	a, ok := d.trailers[key]
	if !ok {
		return
	}
	if a == "" {
		a = toolNamed(value)
	}
	found.add(Evidence{Kind: KindTrailer, Text: text, Assistant: a})
}

// toolNamed reads the tool out of an Assisted-by/Generated-by value: "Claude:claude-3-opus",
// "GitHub Copilot", "Crush <crush@charm.land>".
func toolNamed(value string) string {
	if i := strings.IndexAny(value, ":<"); i >= 0 {
		if tool := strings.TrimSpace(value[:i]); tool != "" {
			return tool
		}
	}
	return value
}

// splitIdentity splits "Name <email>" (or a bare address) into its parts.
func splitIdentity(value string) (name, email string) {
	open := strings.LastIndexByte(value, '<')
	if open < 0 {
		if strings.Contains(value, "@") && !strings.ContainsAny(value, " \t") {
			return "", value
		}
		return value, ""
	}
	name = strings.TrimSpace(value[:open])
	email = value[open+1:]
	if end := strings.IndexByte(email, '>'); end >= 0 {
		email = email[:end]
	}
	return name, strings.TrimSpace(email)
}

// generatedWith matches the footer lines assistants add, with or without their emoji.
func generatedWith(text string) (string, bool) {
	// Only the first few runes may be decoration ("🤖 ", "💘 ", "- "), so prose never matches.
	body := text
	for n := 0; n < 4 && body != ""; n++ {
		r, size := utf8.DecodeRuneInString(body)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		body = body[size:]
	}
	body = strings.TrimLeft(body, " \t")
	const generated = "generated with "
	if len(body) < len(generated) || !strings.EqualFold(body[:len(generated)], generated) {
		return "", false
	}
	rest := body[len(generated):]
	for _, url := range []string{"[Claude Code](https://claude.com/", "[Claude Code](https://claude.ai/", "[Claude Code](https://www.anthropic.com/claude-code"} {
		if hasPrefixFold(rest, url) {
			return "Claude Code", true
		}
	}
	if hasPrefixFold(rest, "crush") {
		after, _ := utf8.DecodeRuneInString(rest[len("crush"):])
		if len(rest) == len("crush") || !(unicode.IsLetter(after) || unicode.IsDigit(after)) {
			return "Crush", true
		}
	}
	return "", false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func formatIdentity(name, email string) string {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	switch {
	case email == "":
		return name
	case name == "":
		return "<" + email + ">"
	}
	return name + " <" + email + ">"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// evidenceSet keeps evidence in the order found, without repeats (squash merges often carry the
// same Co-authored-by line several times).
type evidenceSet struct {
	list []Evidence
}

func (s *evidenceSet) add(e Evidence) {
	for _, have := range s.list {
		if have == e {
			return
		}
	}
	s.list = append(s.list, e)
}
