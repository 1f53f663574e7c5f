// Renders infra/ansible templates with Ansible itself (the real Jinja filters and
// the real variables: group_vars plus the example inventory), on this machine.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT, run } from "./tools";

export const ANSIBLE_DIR = path.join(REPO_ROOT, "infra/ansible");

/** Renders each template (path relative to infra/ansible) for host `master`; returns the texts in order. */
export function renderTemplates(templates: string[], extraVars: Record<string, unknown> = {}): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "growbin-render-"));
  try {
    const tasks = templates.map((t, i) => ({
      name: `render ${t}`,
      "ansible.builtin.template": { src: path.join(ANSIBLE_DIR, t), dest: path.join(dir, `out-${i}`), mode: "0600" },
    }));
    const playbook = path.join(dir, "render.yml");
    writeFileSync(playbook, JSON.stringify([{ hosts: "master", gather_facts: false, tasks }]));
    const vars = path.join(dir, "vars.json");
    // Facts the templates read from the EC2 metadata on a real node.
    writeFileSync(
      vars,
      JSON.stringify({
        ansible_connection: "local",
        ansible_python_interpreter: "/usr/bin/python3",
        ansible_ec2_placement_availability_zone: "ap-northeast-2a",
        ansible_ec2_instance_id: "i-0000000000000000a",
        ...extraVars,
      }),
    );
    const r = run(
      "ansible-playbook",
      ["-i", "inventory/example.yml", playbook, "-e", "@group_vars/all/main.yml", "-e", `@${vars}`],
      {
        cwd: ANSIBLE_DIR,
        env: { ...process.env, ANSIBLE_CONFIG: path.join(ANSIBLE_DIR, "ansible.cfg"), ANSIBLE_NOCOLOR: "1" },
      },
    );
    if (r.code !== 0) throw new Error(`rendering failed:\n${r.out}`);
    return templates.map((_, i) => readFileSync(path.join(dir, `out-${i}`), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one task file of a role on localhost and returns the run (for the tasks that only read files). */
export function runRoleTasks(role: string, tasksFrom: string, vars: Record<string, unknown>, debug: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "growbin-role-"));
  try {
    const playbook = path.join(dir, "play.yml");
    writeFileSync(
      playbook,
      JSON.stringify([
        {
          hosts: "localhost",
          gather_facts: false,
          tasks: [
            { "ansible.builtin.include_role": { name: role, tasks_from: tasksFrom } },
            { "ansible.builtin.debug": { msg: debug } },
          ],
        },
      ]),
    );
    const varsFile = path.join(dir, "vars.json");
    writeFileSync(varsFile, JSON.stringify(vars));
    return run("ansible-playbook", ["-i", "localhost,", "-c", "local", playbook, "-e", `@${varsFile}`], {
      cwd: ANSIBLE_DIR,
      env: { ...process.env, ANSIBLE_CONFIG: path.join(ANSIBLE_DIR, "ansible.cfg"), ANSIBLE_NOCOLOR: "1" },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
