package ledger

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// lineWithPayload is a record line whose payload is exactly payload.
func lineWithPayload(t *testing.T, payload string) string {
	t.Helper()
	line, err := Record{Payload: payload, SigFormat: "ssh", Signature: "sig"}.Line()
	if err != nil {
		t.Fatal(err)
	}
	return line
}

// TestPayloadReadOneWay: every spelling that encoding/json would read one
// way and jq or Python another is malformed, never a decision.
func TestPayloadReadOneWay(t *testing.T) {
	b, err := EncodePayload(samplePayload())
	if err != nil {
		t.Fatal(err)
	}
	canon := string(b)
	if !strings.Contains(canon, `"decision":"accept"`) {
		t.Fatalf("sample is not an accept: %s", canon)
	}
	reject := strings.Replace(canon, `"decision":"accept"`, `"decision":"reject"`, 1)
	tail := strings.TrimSuffix(reject, "}")
	cases := map[string]string{
		"later Decision in other case":     tail + `,"Decision":"accept"}`,
		"later long-s deciſion":            tail + `,"deciſion":"accept"}`,
		"duplicate decision key":           tail + `,"decision":"accept"}`,
		"unknown field":                    tail + `,"approved":true}`,
		"whitespace":                       strings.Replace(canon, `,"tree"`, `, "tree"`, 1),
		"fields reordered":                 reorder(t, canon),
		"HTML-escaped comment":             strings.Replace(canon, `<`, `\u003c`, 1),
		"null list":                        strings.Replace(canon, `"findings":[`, `"findings":null,"x":[`, 1),
		"escaped ASCII in the decision":    strings.Replace(canon, `"decision":"accept"`, `"decision":"\u0061ccept"`, 1),
		"trailing newline inside payload":  canon + "\n",
		"upper-case decision value":        strings.Replace(canon, `"decision":"accept"`, `"decision":"ACCEPT"`, 1),
		"reviewer key in other case":       strings.Replace(canon, `"reviewer":`, `"Reviewer":`, 1),
		"nested duplicate reviewer e-mail": strings.Replace(canon, `"email":"`, `"email":"x@y","email":"`, 1),
	}
	for name, payload := range cases {
		t.Run(name, func(t *testing.T) {
			if payload == canon {
				t.Fatalf("case does not change the payload")
			}
			entries := ParseNote(lineWithPayload(t, payload))
			if len(entries) != 1 || !errors.Is(entries[0].Err, ErrMalformed) {
				t.Fatalf("payload %s read as %+v, want malformed", payload, entries)
			}
		})
	}
	t.Run("canonical", func(t *testing.T) {
		entries := ParseNote(lineWithPayload(t, canon))
		if len(entries) != 1 || entries[0].Err != nil || entries[0].Payload.Decision != Accept {
			t.Fatalf("canonical payload: %+v", entries)
		}
	})
}

// reorder is the same object with its keys in sorted order.
func reorder(t *testing.T, canon string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(canon), &m); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m) // sorted keys: "checklists" first
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRecordLineReadOneWay: the outer object's keys are exact and once.
func TestRecordLineReadOneWay(t *testing.T) {
	b, _ := EncodePayload(samplePayload())
	good := lineWithPayload(t, string(b))
	q, _ := json.Marshal(string(b))
	cases := map[string]string{
		"Payload twice":     `{"payload":` + string(q) + `,"Payload":"{}","sigformat":"ssh","signature":"sig"}`,
		"payload twice":     `{"payload":` + string(q) + `,"payload":"{}","sigformat":"ssh","signature":"sig"}`,
		"extra key":         strings.TrimSuffix(good, "}") + `,"x":1}`,
		"trailing text":     good + `{}`,
		"signature missing": strings.Replace(good, `,"signature":"sig"`, ``, 1),
		"number signature":  strings.Replace(good, `"signature":"sig"`, `"signature":1`, 1),
	}
	for name, line := range cases {
		t.Run(name, func(t *testing.T) {
			entries := ParseNote(line)
			if len(entries) != 1 || !errors.Is(entries[0].Err, ErrMalformed) {
				t.Fatalf("line %s read as %+v, want malformed", line, entries)
			}
		})
	}
	// Whitespace between the outer keys changes no reading; it is accepted.
	spaced := strings.Replace(good, `"sigformat":"ssh"`, `"sigformat": "ssh"`, 1)
	if e := ParseNote(spaced); len(e) != 1 || e[0].Err != nil {
		t.Fatalf("spaced line: %+v", e)
	}
}

// FuzzCanonicalRecord: whatever a note line holds, a line that parses as a
// decision has a payload that is exactly its canonical encoding, and any
// JSON reader that keeps the first or the last duplicate sees the same
// decision and commit.
func FuzzCanonicalRecord(f *testing.F) {
	b, _ := EncodePayload(samplePayload())
	f.Add(string(b))
	f.Add(strings.TrimSuffix(string(b), "}") + `,"Decision":"reject"}`)
	f.Add(`{"type":"vouch/decision/v1","decision":"accept"}`)
	f.Fuzz(func(t *testing.T, payload string) {
		line, err := Record{Payload: payload, SigFormat: "ssh", Signature: "sig"}.Line()
		if err != nil {
			return
		}
		for _, e := range ParseNote(line) {
			if e.Err != nil {
				continue
			}
			canon, err := EncodePayload(e.Payload)
			if err != nil || string(canon) != e.Record.Payload {
				t.Fatalf("accepted a non-canonical payload %q", e.Record.Payload)
			}
			var generic map[string]any
			if err := json.Unmarshal([]byte(e.Record.Payload), &generic); err != nil {
				t.Fatalf("accepted payload is not JSON: %v", err)
			}
			if generic["decision"] != e.Payload.Decision || generic["commit"] != e.Payload.Commit {
				t.Fatalf("a generic reader sees %v/%v, vouch %s/%s", generic["decision"], generic["commit"], e.Payload.Decision, e.Payload.Commit)
			}
		}
	})
}
