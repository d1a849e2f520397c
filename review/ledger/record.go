// Package ledger is the decision trail: signed records of a reviewer's
// accept or reject, one JSON line each, kept in git notes.
package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// RecordType names the payload schema; readers skip other types.
const RecordType = "vouch/decision/v1"

// Namespace is the SSH signature namespace, so that a decision signature can
// never pass for a commit ("git") or file signature, nor the other way round.
const Namespace = "vouch"

// Decisions a reviewer can record.
const (
	Accept = "accept"
	Reject = "reject"
)

// Person is a reviewer identity.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// ChecklistTicks is how much of one checklist the reviewer ticked.
type ChecklistTicks struct {
	ID     string   `json:"id"`
	Ticked []string `json:"ticked"`
	Total  int      `json:"total"`
}

// FindingRef names a surface finding the reviewer saw.
type FindingRef struct {
	Category string `json:"category"`
	Rule     string `json:"rule"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

// Evidence is one AI-authorship marker that put the commit in the queue.
type Evidence struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// Payload is what a reviewer signs. Field order is the JSON order.
type Payload struct {
	Type       string           `json:"type"`
	Commit     string           `json:"commit"`
	Tree       string           `json:"tree"`
	PatchID    string           `json:"patch_id"`
	Decision   string           `json:"decision"` // "accept" | "reject"
	Reviewer   Person           `json:"reviewer"`
	Time       string           `json:"time"` // RFC 3339
	Comment    string           `json:"comment"`
	Checklists []ChecklistTicks `json:"checklists"`
	Findings   []FindingRef     `json:"findings"`
	Evidence   []Evidence       `json:"evidence"`
	Tool       string           `json:"tool"`
	Via        string           `json:"via"` // "tui" | "cli"
	// Coverage is what the reviewer had on screen (TUI decisions only).
	Coverage *Coverage `json:"coverage,omitempty"`
}

// Coverage is how much of a commit's diff was on the reviewer's screen
// before the decision: hunks shown whole, of all and of the surface-changing
// ones, and the seconds the commit was on screen.
type Coverage struct {
	Hunks        int `json:"hunks"`
	HunksSeen    int `json:"hunks_seen"`
	SurfaceHunks int `json:"surface_hunks"`
	SurfaceSeen  int `json:"surface_seen"`
	Seconds      int `json:"seconds"`
}

// Record is one line of a note. Payload holds the signed bytes exactly, as a
// string, so that no re-encoding can ever change what was signed.
type Record struct {
	Payload   string `json:"payload"`
	SigFormat string `json:"sigformat"`
	Signature string `json:"signature"`
}

// ErrMalformed is wrapped by Entry.Err for a line that is not a decision record.
var ErrMalformed = errors.New("not a decision record")

// EncodePayload is the canonical encoding: compact JSON in field order, no
// HTML escaping (a comment with "<" stays readable in `git notes show`), and
// empty lists as [] so that two encoders never disagree on null.
func EncodePayload(p Payload) ([]byte, error) {
	p.Checklists = nonNil(p.Checklists)
	p.Findings = nonNil(p.Findings)
	p.Evidence = nonNil(p.Evidence)
	lists := make([]ChecklistTicks, len(p.Checklists))
	for i, c := range p.Checklists {
		c.Ticked = nonNil(c.Ticked)
		lists[i] = c
	}
	p.Checklists = lists
	return compactJSON(p)
}

// Line is the record as one line of JSON; JSON escapes every newline, so a
// comment can never split a record across lines.
func (r Record) Line() (string, error) {
	b, err := compactJSON(r)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func compactJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Entry is one parsed line of a note. Err is set for a malformed or foreign
// line, which is kept and reported but never fatal.
type Entry struct {
	Line    int // 1-based line number in the note
	Raw     string
	Ref     string // the notes ref the line was read from (local or another clone's)
	Record  Record
	Payload Payload
	Err     error
}

// ParseNote parses every non-blank line of a note.
func ParseNote(text string) []Entry {
	var entries []Entry
	for i, raw := range strings.Split(text, "\n") {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		e := Entry{Line: i + 1, Raw: raw}
		e.Record, e.Payload, e.Err = parseRecord(raw)
		if e.Err != nil {
			e.Err = fmt.Errorf("line %d: %w: %v", e.Line, ErrMalformed, e.Err)
		}
		entries = append(entries, e)
	}
	return entries
}

func parseRecord(line string) (Record, Payload, error) {
	// The line is read strictly: encoding/json would match "Payload" or a
	// second "payload" key where jq keeps another, so each key must appear
	// once, in exact case.
	raw, err := recordFields(line)
	if err != nil {
		return Record{}, Payload{}, err
	}
	rec := Record{Payload: raw["payload"], SigFormat: raw["sigformat"], Signature: raw["signature"]}
	var p Payload
	if err := json.Unmarshal([]byte(rec.Payload), &p); err != nil {
		return rec, Payload{}, errors.New("payload is not a JSON object")
	}
	// One reading of a record: encoding/json folds case ("Decision",
	// "deciſion"), keeps the last of duplicate keys and skips unknown ones,
	// where jq or another reader may not. Only the canonical bytes, which
	// every reader parses alike, count.
	if canon, err := EncodePayload(p); err != nil || string(canon) != rec.Payload {
		return rec, Payload{}, errors.New("payload is not in canonical form (each known field once, in order, exact case, compact)")
	}
	switch {
	case p.Type != RecordType:
		return rec, p, fmt.Errorf("payload type %q, want %q", p.Type, RecordType)
	case p.Decision != Accept && p.Decision != Reject:
		return rec, p, fmt.Errorf("decision %q, want %q or %q", p.Decision, Accept, Reject)
	case rec.SigFormat != "ssh" && rec.SigFormat != "openpgp" && rec.SigFormat != "x509":
		return rec, p, fmt.Errorf("signature format %q, want ssh, openpgp or x509", rec.SigFormat)
	case rec.Signature == "":
		return rec, p, errors.New("no signature")
	}
	return rec, p, nil
}

// recordFields reads a record line's object: exactly the keys "payload",
// "sigformat" and "signature", each once, in exact case, each a string.
func recordFields(line string) (map[string]string, error) {
	dec := json.NewDecoder(strings.NewReader(line))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON record")
	}
	fields := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, errors.New("not a JSON record")
		}
		key, _ := tok.(string)
		switch key {
		case "payload", "sigformat", "signature":
		default:
			return nil, fmt.Errorf("unexpected key %q in a record (want payload, sigformat, signature)", key)
		}
		if _, dup := fields[key]; dup {
			return nil, fmt.Errorf("key %q appears twice", key)
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%q is not a string", key)
		}
		fields[key] = v
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, errors.New("not a JSON record")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the record")
	}
	if len(fields) != 3 {
		return nil, errors.New(`want "payload", "sigformat" and "signature"`)
	}
	return fields, nil
}
