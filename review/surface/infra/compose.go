package infra

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// analyseCompose reads a Docker Compose file's services.
func analyseCompose(src []byte) *result {
	docs, ok := parseYAMLDocs(src)
	if !ok {
		return nil
	}
	r := newResult(src)
	for _, d := range docs {
		services := mapValue(d.root, "services")
		if services == nil || services.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(services.Content); i += 2 {
			composeService(r, services.Content[i].Value, services.Content[i+1])
		}
	}
	return r
}

func composeService(r *result, name string, svc *yaml.Node) {
	if svc == nil || svc.Kind != yaml.MappingNode {
		return
	}
	risk := func(rule, sev, token string, at *yaml.Node, detail, msg string) {
		r.add(candidate{category: catInfra, rule: "infra/" + rule, severity: sev, token: token,
			key: rule + "|" + name + "|" + detail, line: at.Line, message: "compose service " + name + " " + msg})
	}
	for i := 0; i+1 < len(svc.Content); i += 2 {
		k, v := svc.Content[i], svc.Content[i+1]
		switch k.Value {
		case "privileged":
			if isYAMLTrue(v) {
				risk("compose-privileged", "high", "privileged", v, "", "runs privileged: full access to the host")
			}
		case "network_mode":
			if scalar(v) == "host" {
				risk("compose-host-network", "high", "network_mode: host", v, "", "shares the host's network stack (network_mode: host)")
			}
		case "pid", "ipc":
			if scalar(v) == "host" {
				risk("compose-host-network", "high", k.Value+": host", v, k.Value, "shares the host's "+strings.ToUpper(k.Value)+" namespace")
			}
		case "user":
			switch u := scalar(v); u {
			case "root", "0", "0:0", "root:root":
				risk("compose-root-user", "medium", "user: "+u, v, "", "runs as root (user: "+u+")")
			}
		case "cap_add":
			for _, c := range items(v) {
				capName := strings.TrimPrefix(strings.ToUpper(scalar(c)), "CAP_")
				sev := "medium"
				if capName == "SYS_ADMIN" || capName == "NET_ADMIN" || capName == "ALL" || capName == "SYS_MODULE" {
					sev = "high"
				}
				risk("compose-cap-add", sev, "cap_add", c, capName, "adds capability "+capName)
			}
		case "security_opt":
			for _, o := range items(v) {
				if s := strings.ReplaceAll(scalar(o), "=", ":"); s == "seccomp:unconfined" || s == "apparmor:unconfined" || s == "label:disable" {
					risk("compose-unconfined", "high", scalar(o), o, s, "drops its confinement ("+scalar(o)+")")
				}
			}
		case "ports":
			for _, p := range items(v) {
				if port, ok := publishedPort(p); ok {
					risk("compose-port", "medium", "ports", p, port, "publishes "+port+" on all interfaces")
				}
			}
		case "volumes":
			for _, m := range items(v) {
				if src, ok := hostMount(m); ok {
					sev := "high"
					what := "mounts " + src + " from the host"
					if strings.HasSuffix(src, "docker.sock") {
						sev = "critical"
						what = "mounts the Docker socket (" + src + "): root on the host"
					}
					risk("compose-host-mount", sev, src, m, src, what)
				}
			}
		}
	}
}

var composeVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}`)

// publishedPort reads a ports entry and reports the host port when it is
// published on every interface ("8080:80", "8080"), not when bound to
// loopback or another single address ("127.0.0.1:8080:80").
func publishedPort(n *yaml.Node) (string, bool) {
	if n.Kind == yaml.MappingNode {
		published := scalar(mapValue(n, "published"))
		if published == "" {
			return "", false
		}
		ip := scalar(mapValue(n, "host_ip"))
		if ip != "" && ip != "0.0.0.0" && ip != "::" {
			return "", false
		}
		return "port " + published, true
	}
	s := scalar(n)
	if s == "" {
		return "", false
	}
	if strings.Contains(s, "127.0.0.1") || strings.Contains(s, "localhost") || strings.Contains(s, "::1]") {
		return "", false
	}
	// ${HOST_PORT:-8080} stands for one port; its ':-' must not split.
	s = composeVar.ReplaceAllString(s, "$$$1")
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	var ip, rest string
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", false
		}
		ip, rest = s[1:end], strings.TrimPrefix(s[end+1:], ":")
	} else {
		parts := strings.Split(s, ":")
		switch {
		case len(parts) <= 2:
			rest = s
		default:
			ip, rest = strings.Join(parts[:len(parts)-2], ":"), strings.Join(parts[len(parts)-2:], ":")
		}
	}
	switch ip {
	case "", "0.0.0.0", "::":
	default:
		return "", false
	}
	host, _, found := strings.Cut(rest, ":")
	if !found || host == "" {
		// A lone container port is published on a random host port.
		return "container port " + rest, true
	}
	return fmt.Sprintf("port %s", host), true
}

// hostMount reports a bind mount of the Docker socket or the host's root.
func hostMount(n *yaml.Node) (string, bool) {
	var src string
	if n.Kind == yaml.MappingNode {
		src = scalar(mapValue(n, "source"))
	} else {
		src, _, _ = strings.Cut(scalar(n), ":")
	}
	switch strings.TrimRight(src, "/") {
	case "":
		if src == "/" {
			return "/", true
		}
	case "/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run", "/proc", "/sys", "/etc", "/root", "/dev":
		return src, true
	}
	return "", false
}
