// Package deps finds dependency changes in manifests and lockfiles: what a
// commit adds, removes, upgrades, downgrades or re-sources, and the code it
// lets run at install or build time. Manifests are parsed on both sides and
// compared entry by entry, so a reformatted or reordered file says nothing.
package deps

import (
	"fmt"
	"path"
	"strings"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/surface"
)

// New returns the dependency detector.
func New() surface.Detector { return detector{} }

type detector struct{}

func (detector) Name() string { return "deps" }

func (detector) Applies(p string) bool { return ecosystemFor(p) != nil }

// kind says what an entry of a manifest is.
type kind int

const (
	kindDep    kind = iota // a package, image, action, module or provider
	kindSource             // a registry, index or repository URL packages come from
	kindScript             // code that runs at install or build time
)

// entry is one comparable item of a parsed manifest.
type entry struct {
	key     string // identity across the two sides
	kind    kind
	name    string // package name as the ecosystem spells it; the script name for scripts
	purl    string // package name in the purl when it differs from name ("" = name; "-" = none)
	version string // version or requirement as written; "" = any version
	pin     string // digest or commit the version is pinned to
	source  string // why the origin is not the registry ("git https://…", "local path ../x"); "" = registry
	group   string // "dev", "build", "optional", "indirect", … ; "" = runtime
	low     bool   // an addition is low severity (dev group, lockfile, digest-pinned)
	plugin  bool   // a new one runs code at build time (build plugin)
	verb    string // how an addition reads ("adds" unless set: "replaces", "patches", "bundles")
	detail  string // what follows the name in messages, when the parser knows better
	what    string // rule suffix for scripts and special entries
	text    string // the script command or the source URL
	token   string // Finding.Token when the name is not what the repository would spell
	find    string // what the entry's line contains, when the bare name is too loose (`"lodash"` in JSON)
	line    int    // 1-based line of the entry, 0 = locate by name
	vline   int    // line holding the version, when it differs from line
}

// ecosystem knows one kind of manifest.
type ecosystem struct {
	id    string // rule prefix: deps/<id>-<what>
	purl  string // purl type
	label string // how messages name the file
	lock  bool   // a lockfile: new entries are low severity
	parse func(data []byte) ([]entry, error)
}

var (
	ecoGoMod      = &ecosystem{id: "gomod", purl: "golang", label: "go.mod", parse: parseGoMod}
	ecoNPM        = &ecosystem{id: "npm", purl: "npm", label: "package.json", parse: parsePackageJSON}
	ecoNPMLock    = &ecosystem{id: "npm-lock", purl: "npm", label: "package-lock.json", lock: true, parse: parsePackageLock}
	ecoYarnLock   = &ecosystem{id: "yarn-lock", purl: "npm", label: "yarn.lock", lock: true, parse: parseYarnLock}
	ecoPNPMLock   = &ecosystem{id: "pnpm-lock", purl: "npm", label: "pnpm-lock.yaml", lock: true, parse: parsePNPMLock}
	ecoPip        = &ecosystem{id: "pip", purl: "pypi", label: "requirements", parse: parseRequirements}
	ecoPyproject  = &ecosystem{id: "pyproject", purl: "pypi", label: "pyproject.toml", parse: parsePyproject}
	ecoPipfile    = &ecosystem{id: "pipfile", purl: "pypi", label: "Pipfile", parse: parsePipfile}
	ecoCargo      = &ecosystem{id: "cargo", purl: "cargo", label: "Cargo.toml", parse: parseCargo}
	ecoBuildRS    = &ecosystem{id: "cargo", purl: "cargo", label: "build.rs"}
	ecoGem        = &ecosystem{id: "gem", purl: "gem", label: "Gemfile", parse: parseGemfile}
	ecoMaven      = &ecosystem{id: "maven", purl: "maven", label: "pom.xml", parse: parsePOM}
	ecoGradle     = &ecosystem{id: "gradle", purl: "maven", label: "Gradle build", parse: parseGradle}
	ecoComposer   = &ecosystem{id: "composer", purl: "composer", label: "composer.json", parse: parseComposer}
	ecoDocker     = &ecosystem{id: "docker", purl: "docker", label: "Dockerfile", parse: parseDockerfile}
	ecoActions    = &ecosystem{id: "actions", purl: "githubactions", label: "workflow", parse: parseWorkflow}
	ecoTerraform  = &ecosystem{id: "terraform", purl: "terraform", label: "Terraform", parse: parseTerraform}
	ecoTFLock     = &ecosystem{id: "terraform-lock", purl: "terraform", label: ".terraform.lock.hcl", lock: true, parse: parseTerraformLock}
	ecoHelm       = &ecosystem{id: "helm", purl: "helm", label: "Chart.yaml", parse: parseChart}
	ecoConstraint = &ecosystem{id: "pip", purl: "pypi", label: "constraints", parse: parseRequirements}
)

// ecosystemFor picks the manifest kind from the path alone.
func ecosystemFor(p string) *ecosystem {
	base := path.Base(p)
	lb := strings.ToLower(base)
	dir := path.Base(path.Dir(p))
	switch {
	case base == "go.mod":
		return ecoGoMod
	case base == "package.json":
		return ecoNPM
	case base == "package-lock.json", base == "npm-shrinkwrap.json":
		return ecoNPMLock
	case base == "yarn.lock":
		return ecoYarnLock
	case base == "pnpm-lock.yaml":
		return ecoPNPMLock
	case strings.HasPrefix(lb, "requirements") && (strings.HasSuffix(lb, ".txt") || strings.HasSuffix(lb, ".in")),
		dir == "requirements" && strings.HasSuffix(lb, ".txt"):
		return ecoPip
	case strings.HasPrefix(lb, "constraints") && strings.HasSuffix(lb, ".txt"):
		return ecoConstraint
	case base == "pyproject.toml":
		return ecoPyproject
	case base == "Pipfile":
		return ecoPipfile
	case base == "Cargo.toml":
		return ecoCargo
	case base == "build.rs":
		return ecoBuildRS
	case base == "Gemfile", base == "gems.rb":
		return ecoGem
	case base == "pom.xml":
		return ecoMaven
	case lb == "build.gradle", lb == "build.gradle.kts", lb == "settings.gradle", lb == "settings.gradle.kts":
		return ecoGradle
	case base == "composer.json":
		return ecoComposer
	case isDockerfile(lb):
		return ecoDocker
	case isWorkflow(p):
		return ecoActions
	case strings.HasSuffix(lb, ".tf"):
		return ecoTerraform
	case base == ".terraform.lock.hcl":
		return ecoTFLock
	case base == "Chart.yaml":
		return ecoHelm
	}
	return moreEcosystems(p)
}

func isDockerfile(lb string) bool {
	return lb == "dockerfile" || lb == "containerfile" ||
		strings.HasPrefix(lb, "dockerfile.") || strings.HasSuffix(lb, ".dockerfile") ||
		strings.HasPrefix(lb, "containerfile.") || strings.HasSuffix(lb, ".containerfile")
}

func isWorkflow(p string) bool {
	base := path.Base(p)
	if base == "action.yml" || base == "action.yaml" {
		return true
	}
	return (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")) &&
		(strings.HasPrefix(p, ".github/workflows/") || strings.Contains(p, "/.github/workflows/"))
}

// Detect compares the manifest before and after the commit.
func (detector) Detect(c *surface.Change) []surface.Finding {
	eco := ecosystemFor(c.Path())
	if eco == nil || c.File == nil {
		return nil
	}
	if eco == ecoBuildRS {
		return detectBuildRS(c)
	}
	// nil content on a side that exists means binary or too large to read:
	// nothing can be compared, and guessing would mislead.
	if (c.Before == nil && c.File.Status != diff.StatusAdded) || (c.After == nil && c.File.Status != diff.StatusDeleted) {
		return nil
	}
	before, errB := safeParse(eco, c.Before)
	after, errA := safeParse(eco, c.After)
	if err := firstErr(errA, errB); err != nil {
		return []surface.Finding{unparsed(c, eco, err)}
	}
	d := &differ{eco: eco, c: c,
		oldText: newText(c.Before, c.Removed()), newText: newText(c.After, c.Added())}
	return d.compare(before, after)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// safeParse turns a parser panic into an error: a manifest a repository
// wrote must never crash the review.
func safeParse(eco *ecosystem, data []byte) (es []entry, err error) {
	if data == nil {
		return nil, nil
	}
	defer func() {
		if r := recover(); r != nil {
			es, err = nil, fmt.Errorf("parser failed: %v", r)
		}
	}()
	return eco.parse(data)
}

func unparsed(c *surface.Change, eco *ecosystem, err error) surface.Finding {
	line, side := 1, surface.SideNew
	if a := c.Added(); len(a) > 0 {
		line = a[0].No
	} else if r := c.Removed(); len(r) > 0 {
		line, side = r[0].No, surface.SideOld
	}
	msg := oneLine(err.Error(), 120)
	return surface.Finding{
		Category: "dependency", Rule: "deps/" + eco.id + "-unparsed", Severity: "low",
		Line: line, EndLine: line, Side: side,
		Message: fmt.Sprintf("could not parse %s: %s", eco.label, msg),
	}
}

// detectBuildRS reports a new Cargo build script: it runs on every build of
// the crate, before any of its code is reviewed by a compiler's type system.
func detectBuildRS(c *surface.Change) []surface.Finding {
	if c.File.Status != diff.StatusAdded {
		return nil
	}
	line := 1
	if a := c.Added(); len(a) > 0 {
		line = a[0].No
	}
	return []surface.Finding{{
		Category: "install-script", Rule: "deps/cargo-build-script", Severity: "high",
		Line: line, EndLine: line, Side: surface.SideNew, Evidence: c.Path(),
		Message: "adds a Cargo build script (build.rs) that runs at build time", Token: "build.rs",
	}}
}

// text is one side of the file, split into lines, with the lines the
// commit touched on that side.
type text struct {
	lines   []string
	changed []surface.Line
}

func newText(data []byte, changed []surface.Line) *text {
	t := &text{changed: changed}
	if data != nil {
		t.lines = strings.Split(string(data), "\n")
	}
	return t
}

func (t *text) at(n int) string {
	if n < 1 || n > len(t.lines) {
		return ""
	}
	return strings.TrimSpace(strings.TrimSuffix(t.lines[n-1], "\r"))
}

// locate finds the line an entry lives on: first among the lines the
// commit touched, so the finding points into the diff, then anywhere.
func (t *text) locate(needles ...string) int {
	for len(needles) > 0 {
		for _, l := range t.changed {
			if containsAll(l.Text, needles) {
				return l.No
			}
		}
		for i, l := range t.lines {
			if containsAll(l, needles) {
				return i + 1
			}
		}
		needles = needles[:len(needles)-1]
	}
	if len(t.changed) > 0 {
		return t.changed[0].No
	}
	return 1
}

func containsAll(s string, needles []string) bool {
	for _, n := range needles {
		if n == "" {
			continue
		}
		if !strings.Contains(s, n) {
			return false
		}
	}
	return true
}

// differ turns two parsed sides into findings.
type differ struct {
	eco              *ecosystem
	c                *surface.Change
	oldText, newText *text
	out              []surface.Finding
	// publishers are the npm scopes and Go module owners the manifest
	// already takes packages from.
	publishers map[string]bool
}

var codeHosts = map[string]bool{"github.com": true, "gitlab.com": true, "bitbucket.org": true, "golang.org": true,
	"gopkg.in": true, "codeberg.org": true, "git.sr.ht": true, "gitee.com": true}

// publisher is who publishes a package where its name says so: an npm
// scope (@radix-ui/), a Go module's organisation (golang.org/x/, a vanity
// host such as go.opentelemetry.io/). A scope or an owner's account is one
// party: a second package of theirs adds no one new to trust.
func (d *differ) publisher(e entry) string {
	switch d.eco.purl {
	case "npm":
		if i := strings.IndexByte(e.name, '/'); strings.HasPrefix(e.name, "@") && i > 1 {
			return e.name[:i+1]
		}
	case "golang":
		// A code host's account may be one person's, whose next module
		// can be anything; the Go project's own and a vanity host are one
		// organisation's.
		parts := strings.Split(e.name, "/")
		switch {
		case len(parts) < 2:
		case parts[0] == "golang.org" && parts[1] == "x":
			return "golang.org/x/"
		case codeHosts[parts[0]]:
		case strings.Contains(parts[0], "."):
			return parts[0] + "/"
		}
	}
	return ""
}

func (d *differ) compare(before, after []entry) []surface.Finding {
	if d.eco.lock {
		before, after = keyByVersion(before, after)
	}
	old := map[string]entry{}
	oldByName := map[string]entry{}
	d.publishers = map[string]bool{}
	for _, e := range before {
		if p := d.publisher(e); p != "" && e.kind != kindSource && e.source == "" {
			d.publishers[p] = true
		}
		if _, dup := old[e.key]; !dup {
			old[e.key] = e
		}
		if _, dup := oldByName[e.name]; !dup && e.name != "" {
			oldByName[e.name] = e
		}
	}
	seen := map[string]bool{}
	for _, a := range after {
		if seen[a.key] {
			continue
		}
		seen[a.key] = true
		b, ok := old[a.key]
		if !ok {
			// A lockfile that now holds a package at two versions (a
			// resolution split by Python version or platform) locks
			// another version of a package it had: not a new package.
			if b, had := oldByName[a.name]; had && d.eco.lock && a.source == b.source && b.version != a.version {
				line := a.vline
				if line == 0 {
					line = a.line
				}
				d.emit("dependency", "changed", "low", a, line, surface.SideNew,
					fmt.Sprintf("locks %s %s too (it had %s)", a.name, showVersion(a.version), showVersion(b.version)))
				continue
			}
			d.added(a)
			continue
		}
		d.changed(b, a)
	}
	for _, b := range before {
		if seen[b.key] {
			continue
		}
		seen[b.key] = true
		d.removed(b)
	}
	return d.out
}

// keyByVersion keys by name and version the packages that a lockfile
// holds at more than one version on either side (a resolution split by
// Python version): ipython 9.3.0 on both sides is the same entry, and
// 8.37.0 beside it a second version, however the file orders them.
func keyByVersion(before, after []entry) ([]entry, []entry) {
	count := func(es []entry) map[string]int {
		m := map[string]int{}
		for _, e := range es {
			if e.name != "" && e.kind == kindDep {
				m[e.name]++
			}
		}
		return m
	}
	nb, na := count(before), count(after)
	rekey := func(es []entry) []entry {
		out := make([]entry, len(es))
		for i, e := range es {
			if e.kind == kindDep && (nb[e.name] > 1 || na[e.name] > 1) {
				e.key = "pkg " + e.name + "@" + e.version
			}
			out[i] = e
		}
		return out
	}
	return rekey(before), rekey(after)
}

func (d *differ) emit(category, what, severity string, e entry, line int, side string, msg string) {
	t := d.newText
	if side == surface.SideOld {
		t = d.oldText
	}
	if line == 0 {
		line = t.locate(d.needles(e)...)
	}
	f := surface.Finding{
		Category: category, Rule: "deps/" + d.eco.id + "-" + what, Severity: severity,
		Line: line, EndLine: line, Side: side, Evidence: oneLine(t.at(line), 200),
		Message: oneLine(msg, 240),
	}
	switch {
	case e.kind == kindSource && e.find != "":
		f.Token = e.find
	case e.kind == kindSource:
		f.Token = e.text
	case e.token != "":
		f.Token = e.token
	default:
		f.Token = e.name
	}
	if e.kind != kindSource && e.purl != "-" {
		f.Package = d.purl(e)
	}
	d.out = append(d.out, f)
}

// needles are what the entry's line must contain, most specific first.
func (d *differ) needles(e entry) []string {
	first := e.find
	if first == "" {
		first = e.name
	}
	switch e.kind {
	case kindSource:
		if e.find != "" {
			return []string{e.find}
		}
		return []string{e.text}
	case kindScript:
		return []string{first, firstWord(e.text)}
	}
	return []string{first, e.version}
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// internal is a dependency on a package of this repository: a workspace
// member (npm's workspace: protocol) or a local path that stays inside the
// repository (crates/git from crates/deployment's ../git). A path that
// leaves it, or an absolute one, is a source outside the change.
func (d *differ) internal(e entry) bool {
	if strings.HasPrefix(e.version, "workspace:") {
		return true
	}
	p, ok := strings.CutPrefix(e.source, "local path ")
	if !ok {
		return false
	}
	p = strings.TrimPrefix(strings.TrimPrefix(p, "file:"), "link:")
	if p == "" || path.IsAbs(p) || strings.HasPrefix(p, "~") || strings.Contains(p, "://") {
		return false
	}
	j := path.Join(path.Dir(d.c.Path()), p)
	return j != ".." && !strings.HasPrefix(j, "../")
}

func (d *differ) purl(e entry) string {
	name := e.name
	if e.purl != "" {
		name = e.purl
	}
	p := "pkg:" + d.eco.purl + "/" + name
	if v := purlVersion(e.version); v != "" {
		p += "@" + v
	}
	return p
}

func (d *differ) added(e entry) {
	if d.internal(e) {
		return // the repository's own package (a workspace member), not a component it takes in
	}
	verb := e.verb
	if verb == "" {
		verb = "adds"
	}
	switch e.kind {
	case kindSource:
		if e.low {
			return // the ecosystem's default registry, spelled out
		}
		d.emit("dependency-source", "registry", "high", e, e.line, surface.SideNew,
			fmt.Sprintf("adds package source %s", e.text))
		return
	case kindScript:
		if e.low {
			// A well-known build back end: routine, the manifest's own default.
			return
		}
		msg := fmt.Sprintf("adds %s: %s", e.name, e.text)
		if e.detail != "" {
			msg = e.detail
		}
		d.emit("install-script", e.what, "high", e, e.line, surface.SideNew, msg)
		return
	}
	switch {
	case e.source != "":
		what := e.what
		if what == "" {
			what = "source"
		}
		d.emit("dependency-source", what, "high", e, e.line, surface.SideNew,
			fmt.Sprintf("%s %s %s", verb, e.name, d.detail(e)))
	case e.plugin:
		d.emit("install-script", "build-plugin", "high", e, e.line, surface.SideNew,
			fmt.Sprintf("adds build plugin %s %s", e.name, d.detail(e)))
	default:
		sev := "medium"
		if e.low || d.eco.lock || e.group == "dev" {
			sev = "low"
		}
		what := e.what
		if what == "" {
			what = "added"
		}
		msg := strings.TrimSpace(fmt.Sprintf("%s %s %s", verb, e.name, d.detail(e)))
		if p := d.publisher(e); sev != "low" && p != "" && d.publishers[p] {
			sev = "low"
			msg += ", from a publisher it already depends on (" + p + "…)"
		}
		d.emit("dependency", what, sev, e, e.line, surface.SideNew, msg)
	}
}

// detail is what the messages say after the package name.
func (d *differ) detail(e entry) string {
	if e.detail != "" {
		return e.detail
	}
	var parts []string
	if e.version != "" {
		parts = append(parts, showVersion(e.version))
	} else if e.source == "" {
		parts = append(parts, "(any version)")
	}
	if e.pin != "" {
		parts = append(parts, "@"+short(e.pin))
	}
	if e.source != "" {
		parts = append(parts, "from "+e.source)
	}
	if e.group != "" && !e.plugin {
		parts = append(parts, "("+e.group+")")
	}
	return strings.Join(parts, " ")
}

func (d *differ) removed(e entry) {
	if e.kind != kindDep {
		// A registry or script that goes away shrinks the surface.
		return
	}
	d.emit("dependency", "removed", "low", e, e.line, surface.SideOld,
		strings.TrimSpace(fmt.Sprintf("removes %s %s", e.name, d.detail(e))))
}

func (d *differ) changed(b, a entry) {
	line := a.vline
	if line == 0 {
		line = a.line
	}
	switch a.kind {
	case kindSource:
		return
	case kindScript:
		if a.low && b.low && a.version != b.version {
			d.versionChange(b, a, line)
			return
		}
		if a.text != b.text {
			d.emit("install-script", a.what, "high", a, a.line, surface.SideNew,
				fmt.Sprintf("changes %s: %s → %s", a.name, b.text, a.text))
		}
		return
	}
	if a.source != "" && a.source != b.source {
		what := a.what
		if what == "" {
			what = "source"
		}
		from := b.source
		if from == "" {
			from = "the registry"
		}
		msg := fmt.Sprintf("re-sources %s: %s → %s", a.name, from, a.source)
		if a.verb == "replaces" || a.verb == "patches" {
			msg = fmt.Sprintf("%s %s %s (was %s)", a.verb, a.name, d.detail(a), d.detail(b))
		}
		d.emit("dependency-source", what, "high", a, a.line, surface.SideNew, msg)
		return
	}
	if a.text != "" && b.text != "" && a.text != b.text {
		// The same package from another registry or repository.
		d.emit("dependency-source", "source", "high", a, a.line, surface.SideNew,
			fmt.Sprintf("re-sources %s %s: %s → %s", a.name, showVersion(a.version), b.text, a.text))
		return
	}
	if a.plugin && !b.plugin {
		d.emit("install-script", "build-plugin", "high", a, a.line, surface.SideNew,
			fmt.Sprintf("adds build plugin %s %s", a.name, d.detail(a)))
		return
	}
	switch {
	case a.version != b.version:
		d.versionChange(b, a, line)
	case a.pin != b.pin && a.pin == "":
		d.emit("dependency", "unpinned", "medium", a, line, surface.SideNew,
			fmt.Sprintf("drops the pin of %s %s (was @%s)", a.name, showVersion(a.version), short(b.pin)))
	case a.pin != b.pin && b.pin == "":
		d.emit("dependency", "pinned", "low", a, line, surface.SideNew,
			fmt.Sprintf("pins %s %s to @%s", a.name, showVersion(a.version), short(a.pin)))
	case a.pin != b.pin:
		d.emit("dependency", "repinned", "low", a, line, surface.SideNew,
			fmt.Sprintf("re-pins %s %s: @%s → @%s", a.name, showVersion(a.version), short(b.pin), short(a.pin)))
	case b.source != "" && a.source == "":
		d.emit("dependency", "changed", "low", a, a.line, surface.SideNew,
			strings.TrimSpace(fmt.Sprintf("moves %s from %s back to the registry %s", a.name, b.source, showVersion(a.version))))
	case a.detail != b.detail && a.verb == "replaces":
		// A replace that now points at a different version of the same module.
		d.emit("dependency", "changed", "medium", a, a.line, surface.SideNew,
			fmt.Sprintf("%s %s %s (was %s)", a.verb, a.name, a.detail, b.detail))
	}
}

func (d *differ) versionChange(b, a entry, line int) {
	bv, av := showVersion(b.version), showVersion(a.version)
	if a.version == "" {
		d.emit("dependency", "unpinned", "medium", a, line, surface.SideNew,
			fmt.Sprintf("unpins %s (was %s)", a.name, bv))
		return
	}
	if b.version == "" {
		d.emit("dependency", "changed", "low", a, line, surface.SideNew,
			fmt.Sprintf("pins %s to %s", a.name, av))
		return
	}
	cmp, ok := compareSpecs(b.version, a.version)
	switch {
	case narrows(b.version, a.version):
		d.emit("dependency", "changed", "low", a, line, surface.SideNew,
			fmt.Sprintf("changes %s %s → %s (the same floor, a narrower range)", a.name, bv, av))
	case narrows(a.version, b.version) && rangeKind(b.version) != "":
		sev := "medium"
		if d.eco.lock {
			sev = "low"
		}
		d.emit("dependency", "changed", sev, a, line, surface.SideNew,
			fmt.Sprintf("changes %s %s → %s (the same floor, a wider range: later versions arrive unreviewed)", a.name, bv, av))
	case ok && cmp < 0:
		d.emit("dependency", "upgraded", "low", a, line, surface.SideNew,
			fmt.Sprintf("upgrades %s %s → %s", a.name, bv, av))
	case ok && cmp > 0:
		d.emit("dependency", "downgraded", "high", a, line, surface.SideNew,
			fmt.Sprintf("downgrades %s %s → %s", a.name, bv, av))
	case ok && rangeKind(b.version) != rangeKind(a.version):
		// The same floor, now exact or now a range ("^2.3.0" → "2.3.0").
		d.emit("dependency", "changed", "low", a, line, surface.SideNew,
			fmt.Sprintf("changes %s %s → %s (the same version, now %s)", a.name, bv, av, map[bool]string{true: "a range", false: "exact"}[rangeKind(a.version) != ""]))
	case ok:
		// Same version spelled differently ("1.2" and "1.2.0"): not a change.
	case raisesRange(b.version, a.version):
		d.emit("dependency", "upgraded", "low", a, line, surface.SideNew,
			fmt.Sprintf("upgrades %s %s → %s (the range moves up)", a.name, bv, av))
	default:
		sev := "medium"
		if d.eco.lock {
			sev = "low"
		}
		d.emit("dependency", "changed", sev, a, line, surface.SideNew,
			fmt.Sprintf("changes %s %s → %s", a.name, bv, av))
	}
}

// rangeWidth orders the simple npm-style ranges of one floor: exact, ~
// (patches), ^ (minors), >= (anything newer); -1 for any other spelling.
func rangeWidth(v string) int {
	v = strings.TrimSpace(v)
	switch {
	case strings.HasPrefix(v, ">="):
		return 3
	case strings.HasPrefix(v, "^"):
		return 2
	case strings.HasPrefix(v, "~") && !strings.HasPrefix(v, "~="):
		return 1
	case v != "" && (v[0] >= '0' && v[0] <= '9' || v[0] == '='):
		return 0
	}
	return -1
}

// narrows reports a range of the same floor that lets fewer versions in
// ("^4.3.6" → "~4.3.6"): what can arrive unreviewed shrinks.
func narrows(before, after string) bool {
	wb, wa := rangeWidth(before), rangeWidth(after)
	fb, fa := purlVersion(before), purlVersion(after)
	return wb >= 0 && wa >= 0 && wa < wb && fb != "" && fb == fa
}

// showVersion is a requirement as the reviewer reads it: "==1.2" is "1.2".
func showVersion(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "==") && !strings.HasPrefix(v, "===") {
		return strings.TrimSpace(v[2:])
	}
	return v
}

// purlVersion is the version a purl can carry: an exact one, or the base
// version of a simple range ("^4.17.21" → "4.17.21"); none for a complex range.
func purlVersion(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimLeft(v, "=^~<>! ")
	if v == "" || v == "*" || strings.ContainsAny(v, " ,|*<>") {
		return ""
	}
	return v
}

func short(s string) string {
	s = strings.TrimPrefix(s, "sha256:")
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// oneLine keeps messages and evidence on one line of bounded length; the
// UI makes control characters visible on its own.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
