package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundary between the API and {@code dev.pgflip.jdbc.internal}: no public or protected signature of a public
 * type of {@code dev.pgflip.jdbc} (supertypes, fields, constructors, methods, their generic arguments, bounds and
 * exceptions) names an internal type, so the internal package can change without breaking an application.
 */
class PublicApiTest {
    private static final String API = "dev.pgflip.jdbc";
    private static final String INTERNAL = API + ".internal.";

    @Test
    void noPublicSignatureNamesAnInternalType() throws Exception {
        List<Class<?>> api = apiTypes();
        assertThat(api).as("the scan found the API (else this test would pass on nothing)")
                .contains(ClusterDataSource.class, ClusterConfig.Builder.class, HostStatus.class, Password.class);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            check(type + " extends", type.getGenericSuperclass(), leaks);
            for (Type i : type.getGenericInterfaces()) {
                check(type + " implements", i, leaks);
            }
            for (TypeVariable<?> v : type.getTypeParameters()) {
                check(type + " <" + v + ">", v, leaks);
            }
            for (Field f : type.getDeclaredFields()) {
                if (visible(f)) {
                    check(f.toString(), f.getGenericType(), leaks);
                }
            }
            List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            members.addAll(List.of(type.getDeclaredMethods()));
            for (Executable e : members) {
                if (!visible(e) || e.isSynthetic()) {
                    continue;
                }
                if (e instanceof java.lang.reflect.Method m) {
                    check(e.toGenericString(), m.getGenericReturnType(), leaks);
                }
                for (Type p : e.getGenericParameterTypes()) {
                    check(e.toGenericString(), p, leaks);
                }
                for (Type x : e.getGenericExceptionTypes()) {
                    check(e.toGenericString(), x, leaks);
                }
                for (TypeVariable<?> v : e.getTypeParameters()) {
                    check(e.toGenericString(), v, leaks);
                }
            }
        }
        assertThat(leaks).as("public signatures naming " + INTERNAL + "*").isEmpty();
    }

    @Test
    void theCheckSeesAnInternalTypeWhereverItIsNested() {
        List<String> leaks = new ArrayList<>();
        check("field", dev.pgflip.jdbc.internal.Deadline.class, leaks);
        check("array", dev.pgflip.jdbc.internal.Deadline[].class, leaks);
        check("generic argument", Holder.class.getDeclaredFields()[0].getGenericType(), leaks);
        check("public type", java.util.List.class, leaks);
        assertThat(leaks).hasSize(3);
    }

    /** A wildcard bound two levels down: what the walk must still find. */
    private static final class Holder {
        @SuppressWarnings("unused")
        private List<? extends Set<dev.pgflip.jdbc.internal.Deadline>> nested;
    }

    /** Every public type of the API package, nested public types included (their enclosing types public too). */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(ClusterDataSource.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(API.replace('.', '/'));
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName(API + "." + simple, false, PublicApiTest.class.getClassLoader());
                if (!c.isSynthetic() && !c.isAnonymousClass() && exported(c)) {
                    types.add(c);
                }
            }
        }
        return types;
    }

    private static boolean exported(Class<?> c) {
        for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || (Modifier.isProtected(m.getModifiers())
                && !Modifier.isFinal(m.getDeclaringClass().getModifiers()));
    }

    private static void check(String where, Type type, List<String> leaks) {
        walk(where, type, leaks, new HashSet<>());
    }

    private static void walk(String where, Type type, List<String> leaks, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getName().startsWith(INTERNAL)) {
                leaks.add(where + ": " + element.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            walk(where, p.getRawType(), leaks, seen);
            walk(where, p.getOwnerType(), leaks, seen);
            for (Type a : p.getActualTypeArguments()) {
                walk(where, a, leaks, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                walk(where, b, leaks, seen);
            }
            for (Type b : w.getLowerBounds()) {
                walk(where, b, leaks, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                walk(where, b, leaks, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            walk(where, a.getGenericComponentType(), leaks, seen);
        }
    }
}
