package deps

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// mavenCentral is the default repository every build already trusts.
func isMavenCentral(u string) bool {
	u = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(u)), "/")
	return u == "https://repo.maven.apache.org/maven2" || u == "https://repo1.maven.org/maven2"
}

// lineIndex maps byte offsets to 1-based lines.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, c := range data {
		if c == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (li lineIndex) line(off int64) int {
	return sort.Search(len(li), func(i int) bool { return int64(li[i]) > off })
}

type mavenCoord struct {
	elem                       string // dependency, plugin, extension, parent
	managed                    bool
	group, artifact, version   string
	scope, systemPath          string
	line, vline                int
	versionFromProp, propValue string
}

var mavenProp = regexp.MustCompile(`\$\{([^}]+)\}`)

func parsePOM(data []byte) ([]entry, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Entity = xml.HTMLEntity
	li := newLineIndex(data)
	var stack []string
	var coords []*mavenCoord
	var open []*mavenCoord
	type prop struct {
		value string
		line  int
	}
	props := map[string]prop{}
	var repos []entry
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			text.Reset()
			parent := at(stack, 2)
			n := t.Name.Local
			if (n == "dependency" && parent == "dependencies") || (n == "plugin" && parent == "plugins") ||
				(n == "extension" && parent == "extensions") || (n == "parent" && len(stack) == 2) {
				c := &mavenCoord{elem: n, line: li.line(dec.InputOffset()), managed: contains(stack, "dependencyManagement") || contains(stack, "pluginManagement")}
				open = append(open, c)
				coords = append(coords, c)
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			n, parent := at(stack, 1), at(stack, 2)
			v := strings.TrimSpace(text.String())
			line := li.line(dec.InputOffset())
			if parent == "properties" && len(stack) == 3 {
				props[n] = prop{v, line}
			}
			if len(open) > 0 {
				c := open[len(open)-1]
				if parent == c.elem {
					switch n {
					case "groupId":
						c.group = v
					case "artifactId":
						c.artifact = v
					case "version":
						c.version, c.vline = v, line
					case "scope":
						c.scope = v
					case "systemPath":
						c.systemPath = v
					}
				}
				if n == c.elem {
					open = open[:len(open)-1]
				}
			}
			if n == "url" && (parent == "repository" || parent == "pluginRepository") &&
				(at(stack, 3) == "repositories" || at(stack, 3) == "pluginRepositories") {
				repos = append(repos, entry{key: "repository " + v, kind: kindSource, text: v, line: line,
					low: isMavenCentral(v)})
			}
			stack = stack[:len(stack)-1]
			text.Reset()
		}
	}
	var out []entry
	for _, c := range coords {
		if c.artifact == "" {
			continue
		}
		// Versions usually live in <properties>: resolve them so a bump
		// there reads as the upgrade it is, and point at the property.
		if m := mavenProp.FindStringSubmatch(c.version); m != nil {
			if p, ok := props[m[1]]; ok {
				c.version = strings.Replace(c.version, m[0], p.value, 1)
				c.vline = p.line
			}
		}
		group := c.group
		if group == "" && c.elem == "plugin" {
			group = "org.apache.maven.plugins"
		}
		name := group + ":" + c.artifact
		e := entry{key: c.elem + " " + name, name: name, purl: group + "/" + c.artifact, version: c.version,
			line: c.line, vline: c.vline}
		switch {
		case c.managed:
			e.key = "managed " + e.key
			e.group, e.low = "managed", true
		case c.scope == "test" || c.scope == "provided":
			e.group = c.scope
			e.low = true
		case c.scope == "system" && c.systemPath != "":
			e.source = "local path " + c.systemPath
		}
		if c.elem == "plugin" || c.elem == "extension" {
			// Maven's own plugins are the build itself; a third-party one
			// runs its code in every build.
			official := group == "org.apache.maven.plugins"
			e.plugin = !official && !c.managed
			e.group = "build plugin"
			e.low = official || c.managed
		}
		if c.elem == "parent" {
			e.group = "parent POM"
		}
		out = append(out, e)
	}
	return append(out, repos...), nil
}

func at(stack []string, fromEnd int) string {
	if len(stack) < fromEnd {
		return ""
	}
	return stack[len(stack)-fromEnd]
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

var (
	gradleConfigs = `implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|testCompileOnly|` +
		`annotationProcessor|kapt|ksp|classpath|compile|runtime|testCompile|developmentOnly|debugImplementation|` +
		`releaseImplementation|androidTestImplementation|compileOnlyApi|testFixturesImplementation|detektPlugins`
	// implementation("g:a:v"), implementation 'g:a:v', implementation(platform("g:a:v"))
	gradleDep = regexp.MustCompile(`^\s*(` + gradleConfigs + `)\b\s*\(?\s*(?:(?:platform|enforcedPlatform|kotlin)\s*\(\s*)?["']([^"':\s]+):([^"':\s]+)(?::([^"'@\s]+))?[^"']*["']`)
	// implementation group: 'g', name: 'a', version: 'v'
	gradleMapDep = regexp.MustCompile(`^\s*(` + gradleConfigs + `)\b\s*\(?\s*group\s*[:=]\s*["']([^"']+)["']\s*,\s*name\s*[:=]\s*["']([^"']+)["'](?:\s*,\s*version\s*[:=]\s*["']([^"']+)["'])?`)
	gradleFiles  = regexp.MustCompile(`^\s*(` + gradleConfigs + `)\b\s*\(?\s*(files|fileTree)\s*\((.*)\)`)
	// id("org.x") version "1.0", id 'org.x' version '1.0', kotlin("jvm") version "1.9"
	gradlePlugin = regexp.MustCompile(`^\s*(id|kotlin)\s*\(?\s*["']([^"']+)["']\s*\)?(?:\s+version\s*\(?\s*["']([^"']+)["'])?`)
	gradleApply  = regexp.MustCompile(`^\s*apply\s*\(?\s*plugin\s*[:=]\s*["']([^"']+)["']`)
	gradleURL    = regexp.MustCompile(`(?:url\s*(?:=\s*)?\(?\s*(?:uri\s*\(\s*)?|maven\s*\(\s*(?:url\s*=\s*)?)["']([^"']+)["']`)
	gradleBlock  = regexp.MustCompile(`([A-Za-z_][\w.]*)\s*(?:\([^)]*\))?\s*\{`)
)

// parseGradle reads Groovy and Kotlin build scripts line by line. Blocks are
// tracked by name so that repositories { maven { url } } is a source while
// publishing { repositories { … } } (where artifacts go) is not.
func parseGradle(data []byte) ([]entry, error) {
	var out []entry
	var stack []string
	inBlock := func(name string) bool { return contains(stack, name) }
	count := map[string]int{}
	for i, raw := range strings.Split(string(data), "\n") {
		l := strings.TrimRight(raw, "\r")
		if j := strings.Index(l, "//"); j >= 0 && !strings.Contains(l[:j], "://") && !strings.Contains(l[:j], `"`) {
			l = l[:j]
		}
		line := i + 1
		add := func(e entry) {
			count[e.key]++
			if count[e.key] > 1 {
				e.key += "#" + strconv.Itoa(count[e.key])
			}
			out = append(out, e)
		}
		switch {
		case gradleDep.MatchString(l):
			m := gradleDep.FindStringSubmatch(l)
			add(gradleCoord(m[1], m[2], m[3], m[4], line, inBlock("buildscript")))
		case gradleMapDep.MatchString(l):
			m := gradleMapDep.FindStringSubmatch(l)
			add(gradleCoord(m[1], m[2], m[3], m[4], line, inBlock("buildscript")))
		case gradleFiles.MatchString(l):
			m := gradleFiles.FindStringSubmatch(l)
			arg := strings.Trim(strings.TrimSpace(m[3]), `"'`)
			add(entry{key: "files " + arg, name: arg, purl: "-", source: "local files " + arg, line: line})
		case gradlePlugin.MatchString(l) && inBlock("plugins"):
			m := gradlePlugin.FindStringSubmatch(l)
			id := m[2]
			if m[1] == "kotlin" {
				id = "org.jetbrains.kotlin." + id
			}
			if !strings.Contains(id, ".") {
				break // a core plugin (java, application): part of Gradle itself
			}
			add(entry{key: "plugin " + id, name: id, purl: id + "/" + id + ".gradle.plugin", version: m[3],
				plugin: true, group: "build plugin", line: line})
		case gradleApply.MatchString(l):
			id := gradleApply.FindStringSubmatch(l)[1]
			if strings.Contains(id, ".") {
				add(entry{key: "plugin " + id, name: id, purl: "-", plugin: true, group: "build plugin", line: line})
			}
		}
		if inBlock("repositories") && !inBlock("publishing") {
			if m := gradleURL.FindStringSubmatch(l); m != nil && !isMavenCentral(m[1]) {
				add(entry{key: "repository " + m[1], kind: kindSource, text: m[1], line: line})
			}
			for _, local := range []string{"mavenLocal()", "jcenter()", "flatDir"} {
				if strings.Contains(l, local) {
					add(entry{key: "repository " + local, kind: kindSource, text: local, line: line})
				}
			}
		}
		// Track blocks after the line's content: `maven { url "…" }` on one
		// line has already been seen inside its repositories block.
		opens := gradleBlock.FindAllStringSubmatch(l, -1)
		oi := 0
		for _, c := range l {
			switch c {
			case '{':
				name := ""
				if oi < len(opens) {
					name = opens[oi][1]
					oi++
				}
				if len(stack) < 64 {
					stack = append(stack, name)
				}
			case '}':
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
		}
	}
	return out, nil
}

func gradleCoord(config, group, artifact, version string, line int, buildscript bool) entry {
	name := group + ":" + artifact
	e := entry{key: "dep " + config + " " + name, name: name, purl: group + "/" + artifact,
		version: version, line: line, find: artifact}
	lc := strings.ToLower(config)
	switch {
	case strings.HasPrefix(lc, "test") || strings.HasPrefix(lc, "androidtest") || lc == "compileonly" || lc == "debugimplementation":
		e.group, e.low = "dev", true
	case config == "classpath" || buildscript:
		// buildscript classpath: code loaded into the build itself
		e.plugin, e.group = true, "build classpath"
	}
	return e
}
