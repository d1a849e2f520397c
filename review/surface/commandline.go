package surface

import (
	"path"
	"regexp"
	"strings"
)

// CommandLineDetector reads the command lines a repository runs outside its
// code: scripts, Dockerfiles, CI and compose YAML, Makefiles, package.json
// scripts. It reports switches that turn a check off: host keys and TLS
// certificates not verified, any Host header or origin accepted, a sandbox
// off; and a tunnel that publishes a local port.
type CommandLineDetector struct{}

func (CommandLineDetector) Name() string { return "command-line" }

func (CommandLineDetector) Applies(p string) bool {
	lp := strings.ToLower(p)
	base := path.Base(lp)
	switch path.Ext(base) {
	case ".sh", ".bash", ".zsh", ".ps1", ".yml", ".yaml", ".toml", ".mk":
		return true
	}
	return base == "makefile" || base == "package.json" || base == "justfile" ||
		base == ".npmrc" || base == ".yarnrc" || base == "pip.conf" || base == "pip.ini" ||
		strings.HasPrefix(base, "dockerfile") || strings.HasPrefix(base, "containerfile") || strings.HasSuffix(base, ".dockerfile") ||
		base == ".env" || strings.HasPrefix(base, ".env.")
}

// SandboxOff is a switch, literal or assignment that turns a browser's or
// an agent's sandbox off, in any language or command line.
const SandboxOff = `--no-sandbox\b|--disable-setuid-sandbox\b|--disable-gpu-sandbox\b|--disable-web-security\b|--dangerously-bypass-approvals-and-sandbox\b|\bchromiumSandbox\b\s*[:=]\s*false\b|\b[dD]angerously_?[dD]isable_?[sS]andbox\b\s*[:=]\s*(?:true|True)\b|\bsandbox\s*[:=]\s*(?:false|False)\b|\bno_sandbox\s*=\s*True\b`

// PublicTunnel names a tool or service that puts a local port on the
// internet: cloudflared's quick tunnels, ngrok, localtunnel, Tailscale
// Funnel, serveo, localhost.run.
const PublicTunnel = `\bcloudflared\b['"]?\s*,?\s*['"]?tunnel\b|\btrycloudflare\\?\.com\b|\bngrok\b['"]?\s*,?\s*['"]?(?:http|tcp|tls|start)\b|\bpyngrok\b|@ngrok/ngrok\b|\bngrok\s*\.\s*(?:connect|forward)\s*\(|\blocaltunnel\b|\btailscale\b['"]?\s*,?\s*['"]?funnel\b|\bserveo\.net\b|\blocalhost\.run\b`

type commandRule struct {
	category, rule, severity, message string
	re                                *regexp.Regexp
}

var commandRules = []commandRule{
	{"infra", "infra/public-tunnel", "high", "publishes a local port on a public URL (%s): anyone with the link reaches it",
		regexp.MustCompile(PublicTunnel)},
	{"auth", "auth/sandbox-off", "medium", "turns a sandbox off (%s): what runs there can reach the rest of the machine",
		regexp.MustCompile(SandboxOff)},
	{"crypto", "crypto/insecure-transport", "high", "turns off verification of who is on the other end: %s",
		regexp.MustCompile(`(?i)StrictHostKeyChecking["']?\s*[= ]\s*["']?no\b|UserKnownHostsFile\s*[= ]\s*/dev/null|\bcurl\b[^|;&\n]*\s(?:-k|--insecure)(?:\s|$|["'])|\bwget\b[^|;&\n]*--no-check-certificate|http\.sslVerify\s*[= ]\s*["']?false|GIT_SSL_NO_VERIFY\s*[=:]\s*["']?(?:1|true)|NODE_TLS_REJECT_UNAUTHORIZED\s*[=:]\s*["']?0|\bstrict-ssl\s*[= ]\s*["']?false|PYTHONHTTPSVERIFY\s*[=:]\s*["']?0|--trusted-host\b|\bsslverify\s*=\s*(?:0|false)`)},
	{"dependency-source", "dependency-source/download-latest", "medium", "downloads whatever is latest, unpinned and unverified: %s",
		regexp.MustCompile(`(?i)\b(?:curl|wget|Invoke-WebRequest|iwr)\b[^|;&\n]*https?://\S*(?:/releases/latest/|/latest/download/|/latest\.(?:tar|tgz|zip)|[-_/]latest[-_.][\w.-]*\.(?:tar\.gz|tgz|zip|deb|rpm|sh|bin|exe))`)},
	{"dependency-source", "dependency-source/unpinned-install", "medium", "installs from a moving source, not a pinned version: %s",
		regexp.MustCompile(`(?i)\bgit\s+clone\b(?:\s+-{1,2}[\w-]+(?:[= ]\S+)?)*\s+(?:https?://|git@)\S+|\bpip3?\s+install\b[^\n;&|]*\bgit\+https?://[^\s@'"]+(?:\.git)?(?:\s|$|['"])|\b(?:npm|pnpm|yarn)\s+(?:install|i|add)\b[^\n;&|]*\s(?:github:|git\+https?://)\S+|\bgo\s+install\s+\S+@latest\b|\bcargo\s+install\b[^\n;&|]*--git\s+\S+`)},
	{"dependency-source", "dependency-source/registry", "medium", "packages now come from another registry or index: %s",
		regexp.MustCompile(`(?i)(?:^|[\s"'])(?:@[\w-]+:)?registry\s*=\s*["']?https?://\S+|\bnpm\s+config\s+set\s+(?:@[\w-]+:)?registry\s+\S+|\bnpmRegistryServer\s*:\s*["']?https?://\S+|\b(?:extra-)?index-url\s*[= ]\s*["']?https?://\S+|\b(?:PIP_(?:EXTRA_)?INDEX_URL|UV_(?:EXTRA_)?INDEX_URL|UV_DEFAULT_INDEX|NPM_CONFIG_REGISTRY)\s*[=:]\s*["']?https?://\S+`)},
	{"web-config", "web-config/any-host", "medium", "accepts any Host header or origin: %s",
		regexp.MustCompile(`(?i)--allowed?[-_](?:hosts?|origins?)["']?\s*(?:[= ,]\s*)+["']?\*|\b(?:ALLOWED_HOSTS|CORS_(?:ALLOWED_)?ORIGINS?)\s*[=:]\s*["']?\*|--cors(?:[-_]origins?)?["']?\s*(?:[= ,]\s*)+["']?\*`)},
}

func (CommandLineDetector) Detect(c *Change) []Finding {
	removed := map[string]bool{}
	for _, l := range c.Removed() {
		removed[strings.Join(strings.Fields(l.Text), " ")] = true
	}
	var out []Finding
	for _, l := range c.Added() {
		t := strings.TrimSpace(l.Text)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || removed[strings.Join(strings.Fields(t), " ")] {
			continue
		}
		for _, r := range commandRules {
			m := r.re.FindString(t)
			if m == "" || r.rule == "dependency-source/unpinned-install" && (pinnedAfter(t, m) || cloneNotInstall(c.Path(), t, m)) ||
				r.rule == "dependency-source/download-latest" && pipedToShell.MatchString(t) ||
				r.rule == "dependency-source/registry" && defaultRegistry.MatchString(m) {
				continue
			}
			// A switch already on the removed side of this line (the line
			// edited around it) is not new.
			if hadSwitch(c.Removed(), r.re, m) {
				continue
			}
			out = append(out, Finding{Category: r.category, Rule: r.rule, Severity: r.severity, Confidence: "high",
				Line: l.No, EndLine: l.No, Side: SideNew, Evidence: clipText(t, 200),
				Message: strings.Replace(r.message, "%s", clipText(m, 60), 1), Token: r.rule})
		}
	}
	return out
}

// hadSwitch reports the same switch on a removed line.
func hadSwitch(removed []Line, re *regexp.Regexp, m string) bool {
	key := strings.Join(strings.Fields(m), " ")
	for _, l := range removed {
		if o := re.FindString(l.Text); o != "" && strings.Join(strings.Fields(o), " ") == key {
			return true
		}
	}
	return false
}

// cloneNotInstall is a git clone that installs nothing: outside a
// Dockerfile, one the same line does not build or install from (a clone to
// push to, to read).
func cloneNotInstall(p, line, m string) bool {
	if !strings.Contains(strings.ToLower(m), "clone") {
		return false
	}
	base := strings.ToLower(path.Base(p))
	if strings.HasPrefix(base, "dockerfile") || strings.HasPrefix(base, "containerfile") || strings.HasSuffix(base, ".dockerfile") {
		return false
	}
	return !buildsAfter.MatchString(line[strings.Index(line, m)+len(m):])
}

var buildsAfter = regexp.MustCompile(`(?:&&|;)\s*(?:cd\s+\S+\s*(?:&&|;)\s*)?(?:sudo\s+)?(?:make|cmake|\./|sh\b|bash\b|pip3?\s+install|npm\s+(?:install|ci|i)\b|go\s+(?:install|build)|cargo\s+(?:install|build)|python3?\s+\S*(?:setup|install)|\S*install)`)

// defaultRegistry is the ecosystem's own registry, spelled out.
var defaultRegistry = regexp.MustCompile(`(?i)https?://(?:registry\.npmjs\.org|registry\.yarnpkg\.com|pypi\.org/simple|pypi\.python\.org/simple)/?["']?$`)

// pipedToShell is a download run by a shell: the pipeline rule's finding.
var pipedToShell = regexp.MustCompile(`\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b`)

// fullCommit is a 40-hex commit id.
var fullCommit = regexp.MustCompile(`\b[0-9a-f]{40}\b`)

// pinnedAfter reports an install pinned on its own line: a clone followed
// by a checkout of a full commit id, a cargo install with --rev.
func pinnedAfter(line, m string) bool {
	rest := line[strings.Index(line, m):]
	return fullCommit.MatchString(rest) || strings.Contains(rest, "--rev")
}
