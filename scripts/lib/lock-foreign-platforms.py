#!/usr/bin/env python3
"""
Adds package-lock entries for optional native builds of other platforms (darwin, win32,
linux on other CPUs) that the npm registry reachable from our CI machines does not serve.
npm writes such entries from the registry's metadata; without them `npm ci` refuses the
lock. Each entry states its os/cpu/libc, so `npm ci` skips it here without fetching it.
Run after any `npm install` that changes a package with platform builds.
"""
import json
import re
import sys

PATTERN = re.compile(r'-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|ppc64|s390x|loong64|riscv64)(?:-(gnu|gnueabihf|musl|musleabihf|eabi|msvc))?$')


def platform_of(name):
    m = PATTERN.search(name)
    if not m:
        return None
    os_, cpu, abi = m.groups()
    entry = {'os': [os_], 'cpu': [cpu]}
    if os_ == 'linux' and abi:
        entry['libc'] = ['musl' if abi.startswith('musl') else 'glibc']
    return entry


def main(path):
    lock = json.load(open(path))
    packages = lock['packages']
    added = []
    for key, meta in list(packages.items()):
        for dep, version in (meta.get('optionalDependencies') or {}).items():
            target = f'node_modules/{dep}'
            platform = platform_of(dep)
            if target in packages or platform is None:
                continue
            packages[target] = {'version': version, **platform, 'dev': bool(meta.get('dev')), 'optional': True}
            added.append(target)
    lock['packages'] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != '', kv[0])))
    with open(path, 'w') as f:
        json.dump(lock, f, indent=2)
        f.write('\n')
    print(f'{len(added)} foreign-platform entries added')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'package-lock.json')
