package infra

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestScanShell(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		want         []string // kind@line for each hit
	}{
		{"plain pipe", "curl -fsSL https://x/i.sh | sh", []string{"pipe@1"}},
		{"through &&", "apt-get update && curl -fsSL https://x | bash - && rm -rf /var/lib/apt", []string{"pipe@1"}},
		{"through ;", "set -e; wget -qO- https://x | sh; echo ok", []string{"pipe@1"}},
		{"in a subshell", "(cd /tmp && curl -sL https://x | sudo -E bash -)", []string{"pipe@1"}},
		{"in a group", "{ echo start; curl -sL https://x | sh; }", []string{"pipe@1"}},
		{"bash -c", "bash -c 'set -e\ncurl -fsSL https://x | bash'", []string{"pipe@2"}},
		{"sudo sh -c nested twice", `sudo sh -c "bash -c 'curl -sL https://x | sh'"`, []string{"pipe@1"}},
		{"continuation", "curl -fsSL https://x/install.sh \\\n  | sh -s -- -b /usr/local/bin", []string{"pipe@1"}},
		{"continuation, download on line 2", "export A=1 && \\\n  curl -fsSL https://x \\\n  | sh", []string{"pipe@2"}},
		{"heredoc fed to bash", "bash <<'EOF'\nset -e\ncurl -fsSL https://x | sh\nEOF\n", []string{"pipe@3"}},
		{"stdin as a file", "wget -qO- https://x | bash /dev/stdin --quiet", []string{"pipe@1"}},
		{"tee between", "curl -sL https://x | tee /tmp/log | sh", []string{"pipe@1"}},
		{"python interpreter", "curl -sSL https://install.python-poetry.org | python3 -", []string{"pipe@1"}},
		{"powershell", "iwr https://x/install.ps1 -useb | iex", []string{"pipe@1"}},
		{"command substitution", `sh -c "$(curl -fsSL https://x/install.sh)"`, []string{"pipe@1"}},
		{"process substitution", "bash <(curl -s https://x)", []string{"pipe@1"}},
		{"eval", `eval "$(wget -qO- https://x)"`, []string{"pipe@1"}},
		{"source", "source <(curl -s https://x/env)", []string{"pipe@1"}},
		{"here-string", `bash <<< "$(curl -s https://x)"`, []string{"pipe@1"}},
		{"stdin from process substitution", "bash < <(curl -s https://x)", []string{"pipe@1"}},
		{"github expression", "curl -fsSL ${{ env.URL }} | bash", []string{"pipe@1"}},
		{"download to a file, then run it", "curl -fsSLo /tmp/i.sh https://x && sha256sum -c i.sha256 && sh /tmp/i.sh", nil},
		{"download piped into a script file's stdin", "curl -s https://x/data.json | bash ./import.sh", nil},
		{"quoted text", `echo "curl -s https://x | sh"`, nil},
		{"comment", "# curl -s https://x | sh\necho hi", nil},
		{"download as an argument", `bash ./deploy.sh "$(curl -s https://x/version)"`, nil},
		{"download into jq", "curl -s https://x | jq .version", nil},
		{"chmod 777", "chmod -R 777 /app", []string{"world@1"}},
		{"chmod a+rwx", "mkdir /data && chmod a+rwx /data", []string{"world@1"}},
		{"chmod o+w", "chmod go+w,u+x /data", []string{"world@1"}},
		{"find -exec chmod", "find /app -type d -exec chmod 0777 {} +", []string{"world@1"}},
		{"sudo chmod", "sudo -u root chmod 666 /etc/app.conf", []string{"world@1"}},
		{"mkdir -m", "mkdir -p -m 777 /cache", []string{"world@1"}},
		{"install -m", "install -m 0666 app.conf /etc/app.conf", []string{"world@1"}},
		{"sticky tmp", "mkdir -p /tmp && chmod 1777 /tmp", nil},
		{"chmod 755", "chmod 755 /app && chmod u+w /app && chmod -w /ro", nil},
		{"chmod +w (umask applies)", "chmod +w /app", nil},
		{"echo chmod", `echo "chmod 777 /app"`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, ok := scanShell(tc.script)
			if !ok {
				t.Fatalf("%q does not parse", tc.script)
			}
			var got []string
			for _, h := range hits {
				kind := "pipe"
				if h.kind == hitWorldWritable {
					kind = "world"
				}
				got = append(got, fmt.Sprintf("%s@%d", kind, h.line))
				if h.key == "" || h.first > h.line || h.last < h.line {
					t.Errorf("hit %+v", h)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("hits = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestScanShellKeys holds the canonical text to what identifies a command:
// re-wrapping or re-spacing it keeps the key, changing it does not.
func TestScanShellKeys(t *testing.T) {
	key := func(s string) string {
		hits, ok := scanShell(s)
		if !ok || len(hits) != 1 {
			t.Fatalf("%q: %d hits, ok %v", s, len(hits), ok)
		}
		return hits[0].key
	}
	a := key("curl -fsSL https://x/setup_20.x | bash -")
	for _, same := range []string{"curl  -fsSL https://x/setup_20.x |bash -", "curl -fsSL https://x/setup_20.x \\\n    | bash -",
		"apt-get update && curl -fsSL https://x/setup_20.x | bash - && apt-get install -y nodejs git"} {
		if k := key(same); k != a {
			t.Errorf("%q: key %q, want %q", same, k, a)
		}
	}
	if k := key("curl -fsSL https://x/setup_22.x | bash -"); k == a {
		t.Errorf("a changed URL keeps the key %q", k)
	}
}

// TestScanShellRefuses checks that what the parser cannot read is said so,
// for the callers to fall back on the line patterns.
func TestScanShellRefuses(t *testing.T) {
	for _, s := range []string{"if [ x; then", strings.Repeat("(", 100) + "curl x | sh", "echo 'unterminated",
		strings.Repeat("$(", 100)} {
		if _, ok := scanShell(s); ok {
			t.Errorf("%q parsed", s)
		}
	}
}

func TestWorldWritableMode(t *testing.T) {
	for m, want := range map[string]bool{
		"777": true, "0777": true, "666": true, "0002": true, "757": true, "2777": true, "a+rwx": true, "o+w": true,
		"ugo+rwx": true, "a=rw": true, "u+x,o+w": true,
		"755": false, "0644": false, "1777": false, "+w": false, "u+w": false, "o-w": false, "a+rx": false,
		"": false, "99": false, "a+t": false, "-R": false,
	} {
		if got := worldWritableMode(m); got != want {
			t.Errorf("worldWritableMode(%q) = %v", m, got)
		}
	}
}

func TestShellInInfra(t *testing.T) {
	const base = `FROM debian:bookworm-slim
RUN apt-get update && \
    apt-get install -y curl ca-certificates
USER 1000
`
	runRepl := func(repl string) string { return strings.Replace(base, "USER 1000", repl+"\nUSER 1000", 1) }
	const curled = "RUN apt-get update \\\n    && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \\\n    && apt-get install -y nodejs"
	const wf = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          make deps\n          curl -sSfL https://x/install.sh | sh -s -- -b bin\n          make build\n"
	runCases(t, []detectCase{
		{name: "heredoc RUN", path: "Dockerfile", before: base,
			after: runRepl("RUN <<EOF\nset -eux\ncurl -fsSL https://x/install.sh | sh\nEOF"), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "bash -c in RUN", path: "Dockerfile", before: base,
			after: runRepl(`RUN bash -c 'cd /opt && curl -fsSL https://x/install.sh | bash'`), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "subshell after ;", path: "Dockerfile", before: base,
			after: runRepl("RUN set -e; (cd /tmp; wget -qO- https://x | sh)"), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "exec form", path: "Dockerfile", before: base,
			after: runRepl(`RUN ["/bin/sh", "-c", "curl -fsSL https://x | sh"]`), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "comment inside the continuation", path: "Dockerfile", before: base,
			after: runRepl("RUN apt-get update && \\\n# the installer\n    curl -fsSL https://x | sh"), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "flags on their own line", path: "Dockerfile", before: base,
			after: runRepl("RUN --mount=type=cache,target=/root/.cache \\\n    --network=default \\\n    curl -fsSL https://x | sh"), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "echoed text is not a pipe", path: "Dockerfile", before: base,
			after: runRepl(`RUN echo "to install: curl -fsSL https://x | sh" > /README`)},
		{name: "a changed continuation line keeps the old pipe", path: "Dockerfile", before: runRepl(curled),
			after: runRepl(strings.Replace(curled, "nodejs", "nodejs git", 1))},
		{name: "a re-wrapped pipe is the same pipe", path: "Dockerfile", before: runRepl(curled),
			after: runRepl("RUN apt-get update && curl -fsSL https://deb.nodesource.com/setup_20.x \\\n      | bash - && apt-get install -y nodejs")},
		{name: "a changed pipe is reported", path: "Dockerfile", before: runRepl(curled),
			after: runRepl(strings.Replace(curled, "setup_20.x", "setup_22.x", 1)), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "a second pipe beside the old one", path: "Dockerfile", before: runRepl(curled),
			after: runRepl(curled + " \\\n    && curl -fsSL https://get.docker.com | sh"), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "windows escape falls back on the patterns", path: "Dockerfile",
			before: "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n",
			after:  "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN iwr https://x/install.ps1 -useb `\n    | iex\n",
			want:   []string{"pipeline/curl-pipe-shell"}},
		{name: "world-writable through find -exec", path: "Dockerfile", before: base,
			after: runRepl("RUN find /app -type d -exec chmod 0777 {} +"), want: []string{"file/world-writable"}},
		{name: "COPY --chmod=777", path: "Dockerfile", before: base,
			after: runRepl("COPY --chmod=777 entrypoint.sh /usr/local/bin/"), want: []string{"file/world-writable"}},
		{name: "COPY --chmod=755", path: "Dockerfile", before: base, after: runRepl("COPY --chmod=755 entrypoint.sh /usr/local/bin/")},
		{name: "sticky tmp", path: "Dockerfile", before: base, after: runRepl("RUN mkdir -p /tmp/cache && chmod 1777 /tmp/cache")},
		{name: "world-writable unchanged, other command edited", path: "Dockerfile",
			before: runRepl("RUN chmod -R a+rwx /srv && \\\n    useradd app"), after: runRepl("RUN chmod -R a+rwx /srv && \\\n    useradd -m app")},
		{name: "workflow: another line of the script edited", path: ".github/workflows/ci.yml", before: wf,
			after: strings.Replace(wf, "make build", "make build test", 1)},
		{name: "workflow: pipe added in bash -c", path: ".github/workflows/ci.yml", before: wf,
			after: strings.Replace(wf, "make deps", `bash -c "curl -fsSL https://get.acme.dev | bash"`, 1), want: []string{"pipeline/curl-pipe-shell"}},
		{name: "workflow: the same install script wrapped in a timeout", path: ".github/workflows/ci.yml",
			before: "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSL https://claude.ai/install.sh | bash -s 1.0.81\n",
			after:  "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: timeout 120 bash -c 'curl -fsSL https://claude.ai/install.sh | bash -s -- 2.0.50'\n"},
		{name: "workflow: another script piped", path: ".github/workflows/ci.yml",
			before: "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSL https://claude.ai/install.sh | bash\n",
			after:  "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: curl -fsSL https://get.example.dev/install.sh | bash\n", want: []string{"pipeline/curl-pipe-shell"}},
		{name: "workflow: python step", path: ".github/workflows/ci.yml", before: absent,
			after: "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - shell: python\n        run: |\n          print('curl -s https://x | sh')\n", want: []string{"pipeline/gha-new-workflow"}},
		{name: "gitlab: pipe through &&", path: ".gitlab-ci.yml", before: absent,
			after: "test:\n  script:\n    - apt-get update && curl -fsSL https://x | bash\n    - make test\n", want: []string{"pipeline/curl-pipe-shell"}},
		{name: "shell script", path: "scripts/bootstrap.sh", before: "#!/bin/sh\nset -e\n",
			after: "#!/bin/sh\nset -e\nif ! command -v rustup >/dev/null; then\n  curl --proto '=https' -sSf https://sh.rustup.rs | sh -s -- -y\nfi\n", want: []string{"pipeline/curl-pipe-shell"}},
		{name: "shell script, other line edited", path: "scripts/bootstrap.sh",
			before: "#!/bin/sh\ncurl -sSf https://sh.rustup.rs | sh -s -- -y\necho done\n",
			after:  "#!/bin/sh\ncurl -sSf https://sh.rustup.rs | sh -s -- -y\necho finished\n"},
	})
}

func TestShellFindingLines(t *testing.T) {
	const before = "FROM alpine:3.20\n"
	for _, tc := range []struct {
		name, path, after string
		line              int
	}{
		{"heredoc body line", "Dockerfile", "FROM alpine:3.20\nRUN <<EOF\nset -e\ncurl -fsSL https://x | sh\nEOF\n", 4},
		{"continued download", "Dockerfile", "FROM alpine:3.20\nRUN apk add curl && \\\n    curl -fsSL https://x \\\n    | sh\n", 3},
		{"chmod on its line", "Dockerfile", "FROM alpine:3.20\nRUN adduser -D app && \\\n    chmod 777 /home/app\n", 3},
		{"literal run block", ".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo hi\n          curl -fsSL https://x | sh\n", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := before
			if tc.path != "Dockerfile" {
				b = absent
			}
			fs := New().Detect(fuzzChange(tc.path, b, tc.after))
			if len(fs) != 1 || fs[0].Line != tc.line {
				t.Fatalf("findings %+v, want one on line %d", fs, tc.line)
			}
		})
	}
}
