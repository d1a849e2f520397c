package secrets

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// Test secrets are assembled at run time so that this file itself holds no
// value a secret scanner (or GitHub push protection) would flag. They are
// made up: random-looking, valid for the rule's shape, for no account.
var (
	awsKeyID     = "AKIA" + "QX3LZ7TB2N4WK5RY"
	awsSecret    = "tK9wQ2" + "vLx7Pb4Zr8Nm3Hj6Yc1Fd5Gs0Ae9Ru2Io"
	githubPAT    = "ghp" + "_" + "R7bK2mXq9LpT4vWz8NcJ3hYd6FsA1gEu5Qo0"
	stripeKey    = "sk" + "_live_" + "4Fq8Zr2Lm7Xv9Tb3Kp6Wn1Hc"
	slackToken   = "xoxb" + "-" + "2817364509" + "-" + "4920371856" + "-" + "qL8zR3mT7vK2pX9wN4bJ6hYc"
	genericKey   = "x7Qp2Lm9" + "Zt4Rk8Vw3Nb6Hy1Jc5Df0Gs"
	exampleAWSID = "AKIA" + "IOSFODNN7EXAMPLE"
)

// pemBlock is a PEM private key with a fake body: the rule wants the armour
// and at least 64 characters between BEGIN and END.
func pemBlock() []string {
	return []string{
		"-----BEGIN " + "RSA PRIVATE KEY-----",
		"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
		"VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
		"LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo",
		"-----END " + "RSA PRIVATE KEY-----",
	}
}

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func TestDetect(t *testing.T) {
	pem := pemBlock()
	type want struct {
		rule     string
		severity string
		line     int
		endLine  int
		secret   string
	}
	tests := []struct {
		name          string
		path          string
		before, after string
		want          []want
	}{
		{
			name: "aws access key id and secret",
			path: "config/aws.ini",
			after: lines("[default]",
				"aws_access_key_id = "+awsKeyID,
				"aws_secret_access_key = "+awsSecret),
			want: []want{
				{rule: "secret/aws-access-token", severity: "high", line: 2, endLine: 2, secret: awsKeyID},
				{rule: "secret/generic-api-key", severity: "low", line: 3, endLine: 3, secret: awsSecret},
			},
		},
		{
			name:   "github pat in go source",
			path:   "internal/client/client.go",
			before: lines("package client", "", "const base = \"https://api.github.com\""),
			after:  lines("package client", "", "const base = \"https://api.github.com\"", "const token = \""+githubPAT+"\""),
			want:   []want{{rule: "secret/github-pat", severity: "high", line: 4, endLine: 4, secret: githubPAT}},
		},
		{
			name:  "stripe live key",
			path:  "billing/settings.py",
			after: lines("import os", "STRIPE_KEY = '"+stripeKey+"'"),
			want:  []want{{rule: "secret/stripe-access-token", severity: "high", line: 2, endLine: 2, secret: stripeKey}},
		},
		{
			name:  "slack bot token",
			path:  "bot/index.js",
			after: lines("const { App } = require('@slack/bolt');", "const app = new App({ token: '"+slackToken+"' });"),
			want:  []want{{rule: "secret/slack-bot-token", severity: "high", line: 2, endLine: 2, secret: slackToken}},
		},
		{
			name:   "pem private key block added across lines",
			path:   "deploy/key.pem",
			before: lines("# deploy key"),
			after:  lines(append([]string{"# deploy key"}, pem...)...),
			want:   []want{{rule: "secret/private-key", severity: "critical", line: 2, endLine: 6, secret: pem[1]}},
		},
		{
			name:  "generic api key is low",
			path:  "config/app.yaml",
			after: lines("service:", "  api_key = \""+genericKey+"\""),
			want:  []want{{rule: "secret/generic-api-key", severity: "low", line: 2, endLine: 2, secret: genericKey}},
		},
		{
			name:  "test fixture is still found",
			path:  "internal/client/testdata/token.txt",
			after: lines("token: " + githubPAT),
			want:  []want{{rule: "secret/github-pat", severity: "high", line: 1, endLine: 1, secret: githubPAT}},
		},
		{
			name:   "key only in a removed line",
			path:   "internal/client/client.go",
			before: lines("package client", "", "const token = \""+githubPAT+"\""),
			after:  lines("package client", "", "var token = os.Getenv(\"GITHUB_TOKEN\")"),
		},
		{
			name:  "gitleaks allowlisted example value",
			path:  "config/aws.ini",
			after: lines("[default]", "aws_access_key_id = "+exampleAWSID),
		},
		{
			name:  "placeholders",
			path:  "config/app.env",
			after: lines(`password = "changeme"`, "API_KEY=${API_KEY}", `token: "{{ .Values.token }}"`, `secret = "$SECRET"`),
		},
		{
			name:   "secret already present as an unchanged context line",
			path:   "config/app.yaml",
			before: lines("service:", "  api_key = \""+genericKey+"\"", "  port: 80"),
			after:  lines("service:", "  api_key = \""+genericKey+"\"", "  port: 8080"),
		},
		{
			name:   "secret line only re-indented",
			path:   "config/app.yaml",
			before: lines("service:", "  api_key = \""+genericKey+"\""),
			after:  lines("app:", "  service:", "    api_key = \""+genericKey+"\""),
		},
		{
			name:   "pem block split by an unchanged line is not joined",
			path:   "deploy/key.pem",
			before: lines(pem[0], "unchanged", pem[4]),
			after:  lines(pem[0], pem[1], "unchanged", pem[2], pem[4]),
		},
		{
			name:  "gitleaks:allow comment",
			path:  "internal/client/client.go",
			after: lines("package client", "", "const token = \""+githubPAT+"\" // gitleaks:allow"),
		},
	}
	d := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.before
			if before == "" {
				before = surfacetest.Absent
			}
			c := surfacetest.Change(t, tt.path, before, tt.after)
			if !d.Applies(tt.path) {
				t.Fatalf("Applies(%q) = false", tt.path)
			}
			got := d.Detect(c)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tt.want), dump(got))
			}
			for i, w := range tt.want {
				f := got[i]
				if f.Category != "secret" || f.Rule != w.rule || f.Severity != w.severity || f.Line != w.line || f.EndLine != w.endLine || f.Side != surface.SideNew {
					t.Errorf("finding %d = %s\nwant rule %s severity %s lines %d-%d", i, dump(got[i:i+1]), w.rule, w.severity, w.line, w.endLine)
				}
				if f.Token != strings.TrimPrefix(w.rule, "secret/") {
					t.Errorf("Token = %q", f.Token)
				}
				if !strings.HasPrefix(f.Message, "hard-coded ") {
					t.Errorf("Message = %q", f.Message)
				}
				if w.rule == "secret/private-key" && f.Evidence != pem[0]+" …" {
					t.Errorf("Evidence = %q, want the armour line", f.Evidence)
				}
				if strings.Contains(f.Message, w.secret) || strings.Contains(f.Evidence, w.secret) {
					t.Errorf("secret leaked: message %q evidence %q", f.Message, f.Evidence)
				}
				if !strings.Contains(f.Message, w.secret[:4]+"…") && w.rule != "secret/private-key" {
					t.Errorf("Message %q lacks the redacted prefix %q", f.Message, w.secret[:4]+"…")
				}
			}
		})
	}
}

func dump(fs []surface.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %d-%d %q %q\n", f.Rule, f.Severity, f.Line, f.EndLine, f.Evidence, f.Message)
	}
	return b.String()
}

func TestApplies(t *testing.T) {
	d := New()
	for p, want := range map[string]bool{
		"main.go": true, ".env": true, "config/app.yaml": true, "Dockerfile": true,
		"assets/logo.PNG": false, "dist/app.zip": false, "fonts/a.woff2": false,
	} {
		if got := d.Applies(p); got != want {
			t.Errorf("Applies(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"ghp_abcdef": "ghp_…", "abc": "…", "abcd": "…", "ünïcödé": "ünïc…",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDescribe(t *testing.T) {
	e, err := gitleaks()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*matcher{e.near, e.far} {
		for id, r := range d.Config.Rules {
			s := describe(id, r.Description)
			if s == "" || len(s) > 60 {
				t.Errorf("describe(%s) = %q", id, s)
			}
		}
	}
	if got := describe("github-pat", e.near.Config.Rules["github-pat"].Description); got != "GitHub Personal Access Token" {
		t.Errorf("describe(github-pat) = %q", got)
	}
}

// TestSplit checks that every gitleaks rule lands in exactly one detector and
// that the near rules' reach stays a few lines, or the windows would grow to
// whole files.
func TestSplit(t *testing.T) {
	e, err := gitleaks()
	if err != nil {
		t.Fatal(err)
	}
	n, f := len(e.near.Config.Rules), len(e.far.Config.Rules)
	if n+f < 200 || f > 10 {
		t.Errorf("near %d rules, far %d", n, f)
	}
	for id := range e.far.Config.Rules {
		if _, ok := e.near.Config.Rules[id]; ok {
			t.Errorf("%s in both", id)
		}
	}
	for _, id := range []string{"private-key", "kubernetes-secret-yaml"} {
		if _, ok := e.far.Config.Rules[id]; !ok {
			t.Errorf("%s not in far", id)
		}
	}
	for _, id := range []string{"generic-api-key", "github-pat", "aws-access-token"} {
		if _, ok := e.near.Config.Rules[id]; !ok {
			t.Errorf("%s not in near", id)
		}
	}
	if e.span < 1 || e.span > maxSpan {
		t.Errorf("span %d", e.span)
	}
	t.Logf("near %d rules (span %d lines), far %d", n, e.span, f)
	for tc, want := range map[string]int{`a\nb`: 1, `[\s]{0,3}x`: 3, `[^a]+`: -1, `.*`: 0, `(?s:.){0,2}`: 2, `(a|\n\n)?`: 2} {
		if got := newlines(tc); got != want {
			t.Errorf("newlines(%q) = %d, want %d", tc, got, want)
		}
	}
}

// TestLargeDiff keeps the promise that a commit of 10,000 added lines scans
// well under a second, on real code dense with gitleaks keywords ("key",
// "secret", "token"): the Go tree's crypto/tls as one added file.
func TestLargeDiff(t *testing.T) {
	if _, err := gitleaks(); err != nil {
		t.Fatal(err)
	}
	// How long these take is BenchmarkLargeDiff's business; here they must
	// finish with the right findings.
	c := realChange(t, 10_000)
	got := New().Detect(c)
	t.Logf("10,000 added lines of crypto/tls, %d findings:\n%s", len(got), dump(got))
	got = New().Detect(bigChange(10_000, 20))
	if len(got) != 10_000/250 {
		t.Errorf("synthetic: got %d findings, want %d", len(got), 10_000/250)
	}
}

// realChange is n lines of the Go tree's crypto/tls sources as one added
// file; the test is skipped where the toolchain ships without sources.
func realChange(t testing.TB, n int) *surface.Change {
	files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", "crypto", "tls", "*.go"))
	var ls []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		ls = append(ls, strings.Split(string(b), "\n")...)
		if len(ls) >= n {
			break
		}
	}
	if len(ls) < n {
		t.Skipf("only %d lines of Go sources under GOROOT", len(ls))
	}
	h := diff.Hunk{NewStart: 1, NewLines: n}
	for i, l := range ls[:n] {
		h.Lines = append(h.Lines, diff.Line{Kind: diff.LineAdded, Text: l, NewNo: i + 1})
	}
	return &surface.Change{File: &diff.File{NewPath: "crypto/tls/all.go", Status: diff.StatusAdded, Hunks: []diff.Hunk{h}}}
}

// bigChange builds an added Go file of n lines, one in every `every` of
// them using the words "key", "token" and "auth" that wake gitleaks' generic
// rule, and one in 250 holding a generic key. The diff is built directly:
// git is not what is being measured.
func bigChange(n, every int) *surface.Change {
	h := diff.Hunk{NewStart: 1, NewLines: n}
	for i := 1; i <= n; i++ {
		var text string
		switch {
		case i%250 == 0:
			text = fmt.Sprintf("\tapiKey%d := \"%s%04d\"", i, genericKey, i)
		case i%every == 0:
			text = fmt.Sprintf("\ttoken, err := auth.Refresh(ctx, key%d) // renew the session token", i)
		case i%5 == 0:
			text = fmt.Sprintf("\tif err != nil { return fmt.Errorf(\"line %d: %%w\", err) }", i)
		default:
			text = fmt.Sprintf("\tvalues = append(values, compute(item%d, options.Limit, %d))", i, i*31)
		}
		h.Lines = append(h.Lines, diff.Line{Kind: diff.LineAdded, Text: text, NewNo: i})
	}
	f := &diff.File{NewPath: "internal/big/big.go", Status: diff.StatusAdded, Hunks: []diff.Hunk{h}}
	return &surface.Change{File: f}
}

func benchmarkDetect(b *testing.B, c *surface.Change) {
	if _, err := gitleaks(); err != nil {
		b.Fatal(err)
	}
	d := New()
	b.ResetTimer()
	for b.Loop() {
		d.Detect(c)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1000, "ns/line")
}

// BenchmarkDetect: a 1,000-line added file of real code (crypto/tls).
func BenchmarkDetect(b *testing.B) { benchmarkDetect(b, realChange(b, 1000)) }

// BenchmarkDetectSynthetic: 1,000 generated lines, a keyword line in every
// 20, so the windows around them cover nearly the whole file and the cost
// is gitleaks' generic regexp itself (the worst case).
func BenchmarkDetectSynthetic(b *testing.B) { benchmarkDetect(b, bigChange(1000, 20)) }

// BenchmarkInit measures the one-time cost of the first Detect: parsing
// gitleaks' config and compiling its rules.
func BenchmarkInit(b *testing.B) {
	for b.Loop() {
		engine.once = sync.Once{}
		engine.e, engine.err = nil, nil
		if _, err := gitleaks(); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("api_key = \"" + genericKey + "\"")
	f.Add(strings.Join(pemBlock(), "\n"))
	f.Add("token: " + githubPAT + "\n" + slackToken)
	f.Add("\x00\xff-----BEGIN")
	d := New()
	f.Fuzz(func(t *testing.T, text string) {
		h := diff.Hunk{NewStart: 3}
		for i, l := range strings.Split(text, "\n") {
			h.Lines = append(h.Lines, diff.Line{Kind: diff.LineAdded, Text: l, NewNo: 3 + i})
			h.Lines = append(h.Lines, diff.Line{Kind: diff.LineContext, Text: "ctx", OldNo: 1 + i, NewNo: 100 + i})
		}
		c := &surface.Change{File: &diff.File{NewPath: "a/b.txt", Hunks: []diff.Hunk{h}}, Before: []byte(text[:len(text)/2])}
		for _, fd := range d.Detect(c) {
			if fd.Line < 3 || fd.EndLine < fd.Line {
				t.Fatalf("bad lines %d-%d", fd.Line, fd.EndLine)
			}
		}
	})
}

// BenchmarkLargeDiff is 10,000 added lines of crypto/tls through the secret
// rules (about 0.5 s here without -race).
func BenchmarkLargeDiff(b *testing.B) {
	if _, err := gitleaks(); err != nil {
		b.Fatal(err)
	}
	c := realChange(b, 10_000)
	for b.Loop() {
		New().Detect(c)
	}
}
