package infra

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vouch-review/vouch/review/surface"
	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

const absent = surfacetest.Absent

type detectCase struct {
	name          string
	path          string
	before, after string
	want          []string // rule ids, sorted; nil = no findings
}

func runCases(t *testing.T, cases []detectCase) {
	t.Helper()
	d := New()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !d.Applies(tc.path) {
				if tc.want != nil {
					t.Fatalf("Applies(%q) = false", tc.path)
				}
				return
			}
			c := surfacetest.Change(t, tc.path, tc.before, tc.after)
			got := d.Detect(c)
			var rules []string
			for _, f := range got {
				rules = append(rules, f.Rule)
				checkFinding(t, c, f)
				t.Logf("%s %s:%d [%s] %s | %s", f.Rule, f.Side, f.Line, f.Severity, f.Message, f.Evidence)
			}
			sort.Strings(rules)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !slices.Equal(rules, want) {
				t.Errorf("rules = %q, want %q", rules, want)
			}
		})
	}
}

// checkFinding holds every finding to the Detector contract: it points at a
// line the diff changed, on its side, with evidence and a one-line message.
func checkFinding(t *testing.T, c *surface.Change, f surface.Finding) {
	t.Helper()
	lines := c.Added()
	if f.Side == surface.SideOld {
		lines = c.Removed()
	}
	ok := false
	for _, l := range lines {
		ok = ok || l.No == f.Line
	}
	if !ok {
		t.Errorf("%s: line %d (%s) is not changed by the diff", f.Rule, f.Line, f.Side)
	}
	if f.Evidence == "" || f.Message == "" || strings.Contains(f.Message, "\n") || f.Token == "" {
		t.Errorf("%s: evidence %q, message %q, token %q", f.Rule, f.Evidence, f.Message, f.Token)
	}
	if surface.SeverityRank(f.Severity) < 0 {
		t.Errorf("%s: severity %q", f.Rule, f.Severity)
	}
	if want := strings.SplitN(f.Rule, "/", 2)[0]; f.Category != want {
		t.Errorf("%s: category %q", f.Rule, f.Category)
	}
}

const sgBefore = `resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  ingress {
    description = "HTTPS from the load balancer"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
`

func TestTerraform(t *testing.T) {
	runCases(t, []detectCase{
		{name: "sg ssh open to world", path: "infra/sg.tf", before: sgBefore,
			after: strings.Replace(sgBefore, "  }\n}", `  }

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`, 1), want: []string{"infra/tf-open-ingress"}},
		{name: "sg cidr widened", path: "sg.tf", before: sgBefore,
			after: strings.Replace(sgBefore, `["10.0.0.0/16"]`, `["10.0.0.0/16", "::/0"]`, 1), want: []string{"infra/tf-open-ingress"}},
		{name: "sg port changed under open cidr", path: "sg.tf",
			before: strings.Replace(sgBefore, `["10.0.0.0/16"]`, `["0.0.0.0/0"]`, 1),
			after:  strings.ReplaceAll(strings.Replace(sgBefore, `["10.0.0.0/16"]`, `["0.0.0.0/0"]`, 1), "443", "5432"),
			want:   []string{"infra/tf-open-ingress"}},
		{name: "sg open cidr unchanged, description edited", path: "sg.tf",
			before: strings.Replace(sgBefore, `["10.0.0.0/16"]`, `["0.0.0.0/0"]`, 1),
			after:  strings.Replace(strings.Replace(sgBefore, `["10.0.0.0/16"]`, `["0.0.0.0/0"]`, 1), "from the load balancer", "from anywhere", 1)},
		{name: "sg private cidr", path: "sg.tf", before: sgBefore, after: strings.ReplaceAll(sgBefore, "10.0.0.0/16", "10.1.0.0/16")},
		{name: "sg rule resource", path: "main.tf", before: absent, after: `resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.win.id
}
`, want: []string{"infra/tf-open-ingress"}},
		{name: "egress rule open is fine", path: "main.tf", before: absent, after: `resource "aws_security_group_rule" "out" {
  type        = "egress"
  from_port   = 0
  to_port     = 0
  protocol    = "-1"
  cidr_blocks = ["0.0.0.0/0"]
}
`},
		{name: "gcp firewall", path: "gcp/fw.tf", before: absent, after: `resource "google_compute_firewall" "allow_ssh" {
  name    = "allow-ssh"
  network = google_compute_network.vpc.name

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  source_ranges = ["0.0.0.0/0"]
}
`, want: []string{"infra/tf-open-ingress"}},
		{name: "azure nsg rule", path: "azure.tf", before: absent, after: `resource "azurerm_network_security_rule" "ssh" {
  name                        = "ssh"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.rg.name
  network_security_group_name = azurerm_network_security_group.nsg.name
}
`, want: []string{"infra/tf-open-ingress"}},
		{name: "azure deny rule", path: "azure.tf", before: absent, after: `resource "azurerm_network_security_rule" "deny" {
  direction             = "Inbound"
  access                = "Deny"
  source_address_prefix = "*"
}
`},
		{name: "public bucket acl", path: "s3.tf", before: `resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "private"
}
`, after: `resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read"
}
`, want: []string{"infra/tf-public-bucket"}},
		{name: "public access block off", path: "s3.tf", before: `resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`, after: `resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`, want: []string{"infra/tf-public-bucket", "infra/tf-public-bucket"}},
		{name: "public access block removed", path: "s3.tf", before: `resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`, after: `resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}
`, want: []string{"infra/tf-public-access-block-removed"}},
		{name: "public rds", path: "db.tf", before: `resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = false
  storage_encrypted   = true
}
`, after: `resource "aws_db_instance" "main" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = true
  storage_encrypted   = false
}
`, want: []string{"infra/tf-public-db", "infra/tf-unencrypted"}},
		{name: "wildcard iam jsonencode", path: "iam.tf", before: absent, after: `resource "aws_iam_policy" "deployer" {
  name = "deployer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
`, want: []string{"infra/tf-wildcard-iam"}},
		{name: "iam star on iam heredoc", path: "iam.tf", before: absent, after: `resource "aws_iam_role_policy" "ci" {
  name = "ci"
  role = aws_iam_role.ci.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["iam:*", "s3:GetObject"],
      "Resource": "*"
    }
  ]
}
EOF
}
`, want: []string{"infra/tf-wildcard-iam"}},
		{name: "iam scoped policy", path: "iam.tf", before: absent, after: `resource "aws_iam_policy" "reader" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "${aws_s3_bucket.logs.arn}/*"
    }]
  })
}
`},
		{name: "iam deny star", path: "iam.tf", before: absent, after: `data "aws_iam_policy_document" "guard" {
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}
`},
		{name: "policy document allow star", path: "iam.tf", before: absent, after: `data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
`, want: []string{"infra/tf-wildcard-iam"}},
		{name: "bucket policy public principal", path: "s3.tf", before: absent, after: `resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.site.arn}/*"
    }]
  })
}
`, want: []string{"infra/tf-public-bucket"}},
		{name: "azure storage public", path: "storage.tf", before: absent, after: `resource "azurerm_storage_account" "sa" {
  name                            = "acmesa"
  account_tier                    = "Standard"
  allow_nested_items_to_be_public = true
}
`, want: []string{"infra/tf-public-storage"}},
		{name: "ebs unencrypted", path: "ebs.tf", before: absent, after: `resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = false
}
`, want: []string{"infra/tf-unencrypted"}},
		{name: "variables and comments", path: "vars.tf", before: absent, after: `# cidr_blocks = ["0.0.0.0/0"] was too open, see INC-42
variable "allowed_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}

/* publicly_accessible = true */
locals {
  ports = { for p in var.ports : p => p if p > 1024 }
  name  = var.env == "prod" ? "web" : "web-${var.env}"
}
`},
		{name: "malformed hcl", path: "broken.tf", before: absent, after: `resource "aws_security_group" "x" {
  ingress {
    cidr_blocks = ["0.0.0.0/0"
`},
	})
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          ports:
            - containerPort: 8080
          securityContext:
            runAsNonRoot: true
`

func TestKubernetes(t *testing.T) {
	runCases(t, []detectCase{
		{name: "privileged container", path: "deploy/api.yaml", before: deployment,
			after: strings.Replace(deployment, "runAsNonRoot: true", "privileged: true\n            runAsNonRoot: true", 1),
			want:  []string{"infra/k8s-privileged"}},
		{name: "host namespaces and root", path: "deploy/api.yaml", before: deployment,
			after: strings.Replace(strings.Replace(deployment, "    spec:\n      containers:", "    spec:\n      hostNetwork: true\n      hostPID: true\n      containers:", 1),
				"runAsNonRoot: true", "runAsUser: 0\n            allowPrivilegeEscalation: true", 1),
			want: []string{"infra/k8s-host-namespace", "infra/k8s-host-namespace", "infra/k8s-privilege-escalation", "infra/k8s-run-as-root", "infra/k8s-run-as-root"}},
		{name: "capabilities, hostPath, hostPort", path: "k8s/agent.yml", before: absent, after: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: acme/agent:2.0
          ports:
            - containerPort: 9100
              hostPort: 9100
          securityContext:
            capabilities:
              add: ["NET_ADMIN", "CHOWN"]
          volumeMounts:
            - name: docker
              mountPath: /var/run/docker.sock
      volumes:
        - name: docker
          hostPath:
            path: /var/run/docker.sock
`, want: []string{"infra/k8s-capabilities", "infra/k8s-host-path", "infra/k8s-host-port"}},
		{name: "service loadbalancer in multi-doc", path: "k8s/svc.yaml", before: deployment, after: deployment + `---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: LoadBalancer
  selector:
    app: api
  ports:
    - port: 443
      targetPort: 8080
`, want: []string{"infra/k8s-service-exposed"}},
		{name: "ingress without tls", path: "k8s/ing.yaml", before: absent, after: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: app.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`, want: []string{"infra/k8s-ingress-no-tls"}},
		{name: "ingress tls removed", path: "k8s/ing.yaml", before: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  tls:
    - hosts: [app.example.com]
      secretName: web-tls
  rules:
    - host: app.example.com
`, after: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: app.example.com
`, want: []string{"infra/k8s-ingress-no-tls"}},
		{name: "runAsNonRoot removed", path: "deploy/api.yaml", before: deployment,
			after: strings.Replace(deployment, "          securityContext:\n            runAsNonRoot: true\n", "", 1),
			want:  []string{"infra/k8s-run-as-root"}},
		{name: "comment with privileged", path: "deploy/api.yaml", before: deployment,
			after: strings.Replace(deployment, "securityContext:", "# do not set privileged: true here, see SEC-12\n          securityContext:", 1)},
		{name: "unchanged privileged, image bumped", path: "deploy/api.yaml",
			before: strings.Replace(deployment, "runAsNonRoot: true", "privileged: true", 1),
			after:  strings.Replace(strings.Replace(deployment, "runAsNonRoot: true", "privileged: true", 1), "1.4.2", "1.5.0", 1)},
		{name: "re-indented manifest", path: "deploy/api.yaml",
			before: strings.Replace(deployment, "runAsNonRoot: true", "privileged: true", 1),
			after:  strings.ReplaceAll(strings.Replace(deployment, "runAsNonRoot: true", "privileged: true", 1), "        - name", "      - name")},
		{name: "clusterip service", path: "k8s/svc.yaml", before: absent, after: `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: ClusterIP
  ports:
    - port: 80
`},
		{name: "helm template", path: "charts/api/templates/deployment.yaml", before: absent, after: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "api.fullname" . }}
  labels:
    {{- include "api.labels" . | nindent 4 }}
spec:
  template:
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      hostNetwork: true
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`, want: []string{"infra/k8s-host-namespace"}},
		{name: "helm values privileged", path: "charts/api/values.yaml", before: "replicaCount: 1\n", after: `replicaCount: 1
securityContext:
  privileged: true
service:
  type: NodePort
  port: 80
`, want: []string{"infra/k8s-privileged", "infra/k8s-service-exposed"}},
		{name: "helm values unrelated key", path: "charts/api/values.yaml", before: "replicaCount: 1\n", after: `replicaCount: 3
resources:
  limits:
    cpu: 500m
podAnnotations:
  type: LoadBalancer
`},
		{name: "app config yaml without kind", path: "config/app.yaml", before: absent, after: "server:\n  privileged: true\n  hostNetwork: true\n"},
		{name: "malformed yaml", path: "deploy/x.yaml", before: absent, after: "apiVersion: v1\nkind: Pod\nspec: [privileged: true\n  hostNetwork: {"},
	})
}

func TestCompose(t *testing.T) {
	const base = `services:
  web:
    image: nginx:1.27
    ports:
      - "127.0.0.1:8080:80"
`
	runCases(t, []detectCase{
		{name: "ports on all interfaces", path: "docker-compose.yml", before: base,
			after: strings.Replace(base, `"127.0.0.1:8080:80"`, `"8080:80"`+"\n      - \"0.0.0.0:9090:9090\"\n      - target: 5432\n        published: 5432", 1),
			want:  []string{"infra/compose-port", "infra/compose-port", "infra/compose-port"}},
		{name: "loopback ports", path: "compose.yaml", before: absent,
			after: "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"127.0.0.1:5432:5432\"\n      - \"[::1]:6379:6379\"\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1\n    expose:\n      - \"5432\"\n"},
		{name: "privileged, host network, socket", path: "docker-compose.prod.yml", before: base, after: base + `  agent:
    image: acme/agent:1
    privileged: true
    network_mode: host
    user: root
    cap_add:
      - SYS_ADMIN
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - ./data:/data
      - /:/host:ro
`, want: []string{"infra/compose-cap-add", "infra/compose-host-mount", "infra/compose-host-mount", "infra/compose-host-network", "infra/compose-privileged", "infra/compose-root-user"}},
		{name: "comment with privileged", path: "docker-compose.yml", before: base, after: base + "    # privileged: true breaks on rootless docker\n    read_only: true\n"},
		{name: "env var port", path: "docker-compose.yml", before: base, after: strings.Replace(base, `"127.0.0.1:8080:80"`, `"${WEB_PORT:-8080}:80"`, 1), want: []string{"infra/compose-port"}},
	})
}

func TestDockerfile(t *testing.T) {
	const base = `FROM golang:1.26 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static
COPY --from=build /out/api /api
USER nonroot:nonroot
ENTRYPOINT ["/api"]
`
	runCases(t, []detectCase{
		{name: "curl pipe sh", path: "Dockerfile", before: base,
			after: strings.Replace(base, "WORKDIR /src", "WORKDIR /src\nRUN apt-get update && \\\n    curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && \\\n    apt-get install -y nodejs", 1),
			want:  []string{"pipeline/curl-pipe-shell"}},
		{name: "expose and add remote", path: "build/api.Dockerfile", before: base,
			after: strings.Replace(base, "USER nonroot", "EXPOSE 8080 9090/udp\nADD https://example.com/tool.tar.gz /opt/\nUSER nonroot", 1),
			want:  []string{"infra/docker-expose", "infra/docker-expose", "pipeline/docker-add-remote"}},
		{name: "user root", path: "Containerfile", before: base, after: strings.Replace(base, "USER nonroot:nonroot", "USER root", 1),
			want: []string{"infra/docker-root-user"}},
		{name: "user removed", path: "Dockerfile", before: base, after: strings.Replace(base, "USER nonroot:nonroot\n", "", 1),
			want: []string{"infra/docker-root-user"}},
		{name: "root only in build stage", path: "Dockerfile", before: base, after: strings.Replace(base, "WORKDIR /src", "USER root\nWORKDIR /src", 1)},
		{name: "temporary root then back", path: "Dockerfile", before: base,
			after: strings.Replace(base, "USER nonroot:nonroot", "USER root\nRUN mkdir /data\nUSER nonroot:nonroot", 1)},
		{name: "curl to file then verify", path: "Dockerfile", before: base,
			after: strings.Replace(base, "WORKDIR /src", "WORKDIR /src\n# never curl | sh here\nRUN curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && sha256sum -c x.sha256", 1)},
		{name: "insecure build", path: "Dockerfile", before: base,
			after: strings.Replace(base, "RUN go build", "RUN --security=insecure go build", 1), want: []string{"infra/docker-privileged"}},
		{name: "a changed continuation line does not re-report curl | sh", path: "Dockerfile",
			before: strings.Replace(base, "WORKDIR /src", "WORKDIR /src\nRUN apt-get update && \\\n    curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && \\\n    apt-get install -y nodejs", 1),
			after:  strings.Replace(base, "WORKDIR /src", "WORKDIR /src\nRUN apt-get update && \\\n    curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && \\\n    apt-get install -y nodejs git", 1)},
		{name: "world-writable", path: "Dockerfile", before: base,
			after: strings.Replace(base, "RUN go build", "RUN chmod -R a+rwx /src && go build", 1), want: []string{"file/world-writable"}},
		{name: "chmod 755 is not world-writable", path: "Dockerfile", before: base,
			after: strings.Replace(base, "RUN go build", "RUN chmod 755 /src && go build", 1)},
		{name: "curl pipe sh in README", path: "README.md", before: "# api\n", after: "# api\n\n    curl -fsSL https://get.acme.dev | sh\n"},
	})
}

const workflow = `name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Test
        run: go test ./...
`

func TestWorkflows(t *testing.T) {
	const prt = `name: label
on:
  pull_request_target:
    types: [opened]
permissions:
  contents: read
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - name: Label
        uses: actions/labeler@v5
`
	runCases(t, []detectCase{
		{name: "pull_request_target added", path: ".github/workflows/ci.yml", before: workflow,
			after: strings.Replace(workflow, "  pull_request:\n", "  pull_request_target:\n", 1), want: []string{"pipeline/gha-pull-request-target"}},
		{name: "pull_request_target with head checkout", path: ".github/workflows/pr.yml", before: absent, after: `on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
`, want: []string{"pipeline/gha-pull-request-target", "pipeline/gha-untrusted-checkout"}},
		{name: "workflow_run added", path: ".github/workflows/deploy.yaml", before: absent, after: `on:
  workflow_run:
    workflows: [ci]
    types: [completed]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo deploy
`, want: []string{"pipeline/gha-workflow-run"}},
		{name: "push gated on secrets instead of not a pull request", path: ".github/workflows/publish.yml",
			before: "on: [push, pull_request]\njobs:\n  publish:\n    if: github.event_name != 'pull_request'\n    runs-on: ubuntu-latest\n    steps:\n      - run: make publish\n",
			after:  "on: [push, pull_request]\njobs:\n  publish:\n    if: secrets.NPM_TOKEN != ''\n    runs-on: ubuntu-latest\n    steps:\n      - run: make publish\n",
			want:   []string{"pipeline/gha-trust-condition"}},
		{name: "a multi-line condition gains an author check", path: ".github/workflows/trigger.yml",
			before: "on: [issue_comment]\njobs:\n  test:\n    if: |\n      github.event.issue.pull_request &&\n      contains(github.event.comment.body, '/test')\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
			after:  "on: [issue_comment]\njobs:\n  test:\n    if: |\n      github.event.issue.pull_request &&\n      contains(github.event.comment.body, '/test') &&\n      contains(fromJSON('[\"MEMBER\",\"OWNER\"]'), github.event.comment.author_association)\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n",
			want:   []string{"pipeline/gha-trust-condition"}},
		{name: "a job condition on a path is not about trust", path: ".github/workflows/ci.yml",
			before: "on: push\njobs:\n  docs:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make docs\n",
			after:  "on: push\njobs:\n  docs:\n    if: contains(github.ref, 'docs')\n    runs-on: ubuntu-latest\n    steps:\n      - run: make docs\n"},
		{name: "unchanged pull_request_target, step renamed", path: ".github/workflows/label.yml", before: prt,
			after: strings.Replace(prt, "name: Label", "name: Apply labels", 1)},
		{name: "write-all and write scopes", path: ".github/workflows/ci.yml", before: workflow,
			after: strings.Replace(strings.Replace(workflow, "  contents: read\n", "  contents: write\n  id-token: write\n  issues: write\n", 1),
				"    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n    permissions: write-all\n", 1),
			want: []string{"pipeline/gha-write-all", "pipeline/gha-write-permission", "pipeline/gha-write-permission"}},
		{name: "permissions removed", path: ".github/workflows/ci.yml", before: workflow,
			after: strings.Replace(workflow, "permissions:\n  contents: read\n", "", 1), want: []string{"pipeline/gha-permissions-removed"}},
		{name: "unpinned third-party action", path: ".github/workflows/ci.yml", before: workflow,
			after: workflow + "      - uses: golangci/golangci-lint-action@v6\n      - uses: docker/login-action@master\n",
			want:  []string{"pipeline/gha-unpinned-action", "pipeline/gha-unpinned-action"}},
		{name: "an unpinned action under a renamed job, re-tagged", path: ".github/workflows/claude.yml",
			before: "on: issue_comment\njobs:\n  claude-pr:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: anthropics/claude-code-action@main\n",
			after:  "on: issue_comment\njobs:\n  claude:\n    runs-on: ubuntu-latest\n    steps:\n      - id: claude\n        uses: anthropics/claude-code-action@beta\n"},
		{name: "a second job using an action the file already uses unpinned", path: ".github/workflows/ci.yml",
			before: workflow + "      - uses: golangci/golangci-lint-action@v6\n",
			after:  workflow + "      - uses: golangci/golangci-lint-action@v6\n  lint2:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: golangci/golangci-lint-action@v6\n"},
		{name: "the same download piped to a shell on a second branch", path: ".github/workflows/ci.yml",
			before: strings.Replace(workflow, "run: go test ./...", "run: |\n          timeout 120 bash -c 'curl -fsSL https://claude.ai/install.sh | bash -s -- 2.0.50'", 1),
			after:  strings.Replace(workflow, "run: go test ./...", "run: |\n          if command -v timeout; then\n            timeout 120 bash -c \"curl -fsSL https://claude.ai/install.sh | bash -s -- $V\"\n          else\n            curl -fsSL https://claude.ai/install.sh | bash -s -- \"$V\"\n          fi", 1)},
		{name: "pinned third-party action", path: ".github/workflows/ci.yml", before: workflow,
			after: workflow + "      - uses: golangci/golangci-lint-action@4afd733a84b1f43292c63897423277bb7f4313a9 # v8.0.0\n      - uses: ./.github/actions/setup\n      - uses: actions/setup-go@v5\n"},
		{name: "script injection", path: ".github/workflows/triage.yml", before: absent, after: `on:
  issues:
    types: [opened]
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - name: Echo
        run: |
          echo "New issue #${{ github.event.issue.number }}"
          echo "Title: ${{ github.event.issue.title }}"
`, want: []string{"pipeline/gha-script-injection"}},
		{name: "injection taken out through env", path: ".github/workflows/ci.yml",
			before: workflow + "      - run: git push origin HEAD:${{ github.head_ref }}\n",
			after:  workflow + "      - env:\n          REF: ${{ github.head_ref }}\n        run: git push origin \"HEAD:$REF\"\n",
			want:   []string{"pipeline/gha-script-injection-removed"}},
		{name: "an injected step deleted with its workflow is no note", path: ".github/workflows/ci.yml",
			before: workflow + "      - run: git push origin HEAD:${{ github.head_ref }}\n", after: absent},
		{name: "a boolean of the event is not injectable", path: ".github/workflows/ci.yml", before: workflow,
			after: workflow + "      - run: if [ \"${{ github.event.release.prerelease }}\" = true ]; then echo pre; fi\n"},
		{name: "head_ref in run, env is fine", path: ".github/workflows/ci.yml", before: workflow,
			after: workflow + "      - run: git push origin HEAD:${{ github.head_ref }}\n      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n        run: echo \"$TITLE\"\n",
			want:  []string{"pipeline/gha-script-injection"}},
		{name: "secrets inherit and self-hosted", path: ".github/workflows/ci.yml", before: workflow,
			after: strings.Replace(workflow, "runs-on: ubuntu-latest", "runs-on: [self-hosted, linux]", 1) +
				"  release:\n    uses: acme/workflows/.github/workflows/release.yml@4afd733a84b1f43292c63897423277bb7f4313a9\n    secrets: inherit\n",
			want: []string{"pipeline/gha-secrets-inherit", "pipeline/gha-self-hosted-pr"}},
		{name: "curl pipe sh in run", path: ".github/workflows/ci.yml", before: workflow,
			after: strings.Replace(workflow, "run: go test ./...", "run: |\n          curl -sSfL https://raw.githubusercontent.com/acme/tool/main/install.sh | sh -s -- -b /usr/local/bin\n          go test ./...", 1),
			want:  []string{"pipeline/curl-pipe-shell"}},
		{name: "gitlab curl and dind", path: ".gitlab-ci.yml", before: absent, after: `stages: [build]
build:
  stage: build
  image: docker:27
  services:
    - docker:27-dind
  before_script:
    - curl -fsSL https://get.acme.dev/install.sh | bash
  script:
    - docker build -t app .
`, want: []string{"pipeline/curl-pipe-shell", "pipeline/gitlab-dind"}},
		{name: "malformed workflow", path: ".github/workflows/x.yml", before: absent, after: "on: [pull_request_target\njobs: {"},
		{name: "job gets a secret and an environment", path: ".github/workflows/release.yml", before: `on: workflow_dispatch
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: make release
`, after: `on: workflow_dispatch
jobs:
  release:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: make release
        env:
          TOKEN: ${{ secrets.RELEASE_PAT }}
          GH: ${{ secrets.GITHUB_TOKEN }}
`, want: []string{"pipeline/gha-environment", "pipeline/gha-secret-use"}},
		{name: "secret already used, step edited", path: ".github/workflows/release.yml", before: `on: workflow_dispatch
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: make release
        env:
          TOKEN: ${{ secrets.RELEASE_PAT }}
`, after: `on: workflow_dispatch
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: make release VERBOSE=1
        env:
          TOKEN: ${{ secrets.RELEASE_PAT }}
`},
		{name: "new plain workflow", path: ".github/workflows/lint.yml", before: absent, after: `on: [push, pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: make lint
`, want: []string{"pipeline/gha-new-workflow"}},
		{name: "composite action pipes a download into a shell and interpolates an input", path: "base-action/action.yml", before: `name: x
runs:
  using: composite
  steps:
    - run: bun install
      shell: bash
`, after: `name: x
runs:
  using: composite
  steps:
    - run: curl -fsSL https://example.com/install.sh | bash -s ${{ inputs.version }}
      shell: bash
`, want: []string{"pipeline/curl-pipe-shell", "pipeline/gha-input-injection"}},
		{name: "composite action input through env", path: "action.yaml", before: `inputs:
  version:
    description: v
runs:
  using: composite
  steps:
    - run: echo "$VERSION" "$EXTRA"
      shell: bash
      env:
        VERSION: ${{ inputs.version }}
`, after: `inputs:
  version:
    description: v
  extra:
    description: e
runs:
  using: composite
  steps:
    - run: echo "$VERSION" "$EXTRA"
      shell: bash
      env:
        VERSION: ${{ inputs.version }}
        EXTRA: ${{ inputs.extra }}
`, want: []string{"entry-point/action-input"}},
	})
}

func TestFindingDetails(t *testing.T) {
	c := surfacetest.Change(t, "infra/sg.tf", sgBefore, strings.Replace(sgBefore, "  }\n}", `  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`, 1))
	fs := New().Detect(c)
	if len(fs) != 1 {
		t.Fatalf("findings = %+v", fs)
	}
	f := fs[0]
	want := surface.Finding{Category: "infra", Rule: "infra/tf-open-ingress", Severity: "high", File: "infra/sg.tf", Line: 17, EndLine: 17,
		Side: "new", Evidence: `cidr_blocks = ["0.0.0.0/0"]`, Message: "aws_security_group.web ingress opens port 22 to 0.0.0.0/0", Token: "0.0.0.0/0"}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("finding = %+v\nwant      %+v", f, want)
	}

	// A privileged workflow that checks out the head is critical.
	c = surfacetest.Change(t, ".github/workflows/pr.yml", absent, "on: [pull_request_target]\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.ref }}\n")
	for _, f := range New().Detect(c) {
		if f.Severity != "critical" {
			t.Errorf("%s severity %s, want critical", f.Rule, f.Severity)
		}
	}

	// A removal is reported on the old side.
	c = surfacetest.Change(t, "Dockerfile", "FROM alpine:3.20\nUSER app\n", "FROM alpine:3.20\n")
	fs = New().Detect(c)
	if len(fs) != 1 || fs[0].Side != "old" || fs[0].Line != 2 || fs[0].Evidence != "USER app" {
		t.Errorf("removed USER: %+v", fs)
	}
}

func TestApplies(t *testing.T) {
	d := New()
	for p, want := range map[string]bool{
		"main.tf": true, "Dockerfile": true, "api.Dockerfile": true, "Dockerfile.dev": true, "Containerfile": true,
		".github/workflows/ci.yml": true, ".gitlab-ci.yml": true, "docker-compose.override.yml": true, "compose.yaml": true,
		"k8s/deploy.yaml": true, "README.md": false, "main.go": false, "terraform.tfvars": false, "package.json": false,
	} {
		if got := d.Applies(p); got != want {
			t.Errorf("Applies(%q) = %v", p, got)
		}
	}
	if d.Name() != "infra" {
		t.Errorf("Name = %q", d.Name())
	}
}

// TestWorkflowNotesAreLow: what a reviewer need not stop at is still
// reported, at low severity (the screen mutes it); what widens who reaches
// secrets keeps its severity.
func TestWorkflowNotesAreLow(t *testing.T) {
	base := "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
	cases := []struct {
		name, before, after string
		rule, severity      string
	}{
		{"secrets inherited by a workflow of this repository", base,
			base + "  release:\n    uses: ./.github/workflows/release.yml\n    secrets: inherit\n",
			"pipeline/gha-secrets-inherit", "low"},
		{"secrets inherited by another repository's workflow", base,
			base + "  release:\n    uses: acme/workflows/.github/workflows/release.yml@v2\n    secrets: inherit\n",
			"pipeline/gha-secrets-inherit", "medium"},
		{"the condition of a job the commit adds", base,
			base + "  publish:\n    if: github.event_name == 'push'\n    runs-on: ubuntu-latest\n    steps:\n      - run: make publish\n",
			"pipeline/gha-trust-condition", "low"},
		{"the condition of an existing job changes", strings.Replace(base, "  test:\n", "  test:\n    if: github.event_name != 'pull_request'\n", 1),
			strings.Replace(base, "  test:\n", "  test:\n    if: secrets.TOKEN != ''\n", 1),
			"pipeline/gha-trust-condition", "medium"},
	}
	d := New()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := d.Detect(surfacetest.Change(t, ".github/workflows/ci.yml", tc.before, tc.after))
			for _, f := range got {
				if f.Rule == tc.rule {
					if f.Severity != tc.severity {
						t.Fatalf("%s is %s, want %s: %s", f.Rule, f.Severity, tc.severity, f.Message)
					}
					return
				}
			}
			t.Fatalf("no %s in %v", tc.rule, got)
		})
	}
}

// TestUnpinnedActionRetagged: an action already used by a moving tag that
// moves to another tag is not a new unpinned use (the version change is the
// dependency reader's); dropping a sha pin for a tag is.
func TestUnpinnedActionRetagged(t *testing.T) {
	wf := func(ref string) string {
		return "on: push\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/review-action@" + ref + "\n"
	}
	runCases(t, []detectCase{
		{name: "main to v1", path: ".github/workflows/r.yml", before: wf("main"), after: wf("v1")},
		{name: "sha to v1", path: ".github/workflows/r.yml", before: wf("4afd733a84b1f43292c63897423277bb7f4313a9"), after: wf("v1"),
			want: []string{"pipeline/gha-unpinned-action"}},
	})
}
