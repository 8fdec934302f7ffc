using FsCheck;
using FsCheck.Fluent;

namespace PresenceFunctions.Tests.Unit.Fuzz;

/// <summary>Generators of hostile text: valid documents mutated, dangerous payloads, and plain noise.</summary>
public static class HostileText
{
    public static readonly string[] JsonSeeds =
    [
        """{"AssociateId": 259, "UserPresenceStatus": {"Status": "StatusNotAvailable", "Message": "Lunch"}}""",
        """{"AssociateId": 259, "UserPresenceStatus": null}""",
        """{"Status": 2, "Message": "NO:\"Borte\";US:\"Away\""}""",
        """[{"op": "add", "path": "/AssociateId", "value": 259}, {"op": "add", "path": "/UserPresenceStatus", "value": {"Status": 1}}]""",
    ];

    public static readonly string[] XmlSeeds =
    [
        """<?xml version="1.0"?><SetUserPresenceStatusRequest><AssociateId>259</AssociateId><UserPresenceStatus><Status>StatusNotAvailable</Status><Message>Lunch</Message></UserPresenceStatus></SetUserPresenceStatusRequest>""",
        """<UserPresenceStatus xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Status>1</Status><Message i:nil="true"/></UserPresenceStatus>""",
        """<GetUserPresenceStatusRequest><AssociateId>259</AssociateId></GetUserPresenceStatusRequest>""",
    ];

    public static readonly string[] FormSeeds =
    [
        "AssociateId=259&UserPresenceStatus.Status=StatusNotAvailable&UserPresenceStatus.Message=Out+to+lunch%21",
        "Status=2&Message=%C3%B8",
        "AssociateId=259",
    ];

    /// <summary>Payloads that broke parsers elsewhere: entities, bombs, depth, odd numbers and escapes.</summary>
    public static readonly string[] Dangerous =
    [
        """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><SetUserPresenceStatusRequest><AssociateId>&x;</AssociateId></SetUserPresenceStatusRequest>""",
        """<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><UserPresenceStatus><Status>&d;</Status></UserPresenceStatus>""",
        """<!DOCTYPE x PUBLIC "-//x" "http://127.0.0.1:1/evil.dtd"><UserPresenceStatus/>""",
        """<?xml version="1.0" encoding="utf-32"?><UserPresenceStatus/>""",
        """<UserPresenceStatus><![CDATA[<Status>1</Status>]]></UserPresenceStatus>""",
        """<UserPresenceStatus><?pi x?><Status>&#0;</Status></UserPresenceStatus>""",
        """<UserPresenceStatus><Status>&#xD800;</Status></UserPresenceStatus>""",
        new string('[', 5000) + new string(']', 5000),
        "{\"AssociateId\": " + new string('9', 400) + "}",
        "{\"AssociateId\": 1e309}",
        "{\"AssociateId\": -0}",
        "{\"AssociateId\": 259, \"UserPresenceStatus\": {\"Status\": \"\\ud800\"}}",
        "{\"AssociateId\": 259, \"UserPresenceStatus\": {\"Status\": \"1\\u0000\"}}",
        "{\"AssociateId\": 259, \"associateid\": 260}",
        "{\"__proto__\": {\"AssociateId\": 1}}",
        "[{\"op\": \"move\", \"from\": \"/a\", \"path\": \"/a/b\"}]",
        "[{\"op\": \"copy\", \"from\": \"\", \"path\": \"/x\"}]",
        "[{\"op\": \"add\", \"path\": \"/-\", \"value\": 1}]",
        "[{\"op\": \"add\", \"path\": \"/a~2b\", \"value\": 1}]",
        "AssociateId=%&UserPresenceStatus.=1&.=2&a..b=3",
        "AssociateId=%ED%A0%80",
        "\uFEFF\uFEFF{}",
        "\u0000\u0001\u0002",
        "",
    ];

    private static readonly char[] Alphabet =
        "{}[]<>\"':,;=&%+./\\!?#@* \t\r\n0123456789-eE.abcxyzAXZ_~\u0000\u0007\u00e5\u00f8\ud83d\ude00\uffff".ToCharArray();

    /// <summary>A seed with a few random edits (insert, delete, replace, duplicate, truncate).</summary>
    public static Gen<string> Mutated(params string[] seeds) =>
        from seed in Gen.Elements(seeds)
        from edits in Edit().ListOf(0, 6)
        select edits.Aggregate(seed, (text, edit) => edit(text));

    /// <summary>Mutated seeds, dangerous payloads and noise, in proportions that mostly reach the deeper code.</summary>
    public static Gen<string> Body(params string[] seeds) =>
        Gen.Frequency(
            (6, Mutated(seeds)),
            (2, Gen.Elements(Dangerous)),
            (1, Noise()),
            (1, Gen.Elements(seeds)));

    public static Gen<string> Noise() =>
        from length in Gen.Choose(0, 200)
        from chars in Gen.ArrayOf(Gen.Elements(Alphabet), length)
        select new string(chars);

    private static Gen<Func<string, string>> Edit() =>
        from kind in Gen.Choose(0, 4)
        from at in Gen.Choose(0, 10_000)
        from c in Gen.Elements(Alphabet)
        from count in Gen.Choose(1, 40)
        select (Func<string, string>)(text =>
        {
            var i = text.Length == 0 ? 0 : at % (text.Length + 1);
            return kind switch
            {
                0 => text.Insert(i, c.ToString()),
                1 when i < text.Length => text.Remove(i, Math.Min(count, text.Length - i)),
                2 when i < text.Length => text[..i] + c + text[(i + 1)..],
                3 => text[..i] + text[i..Math.Min(text.Length, i + count)] + text[i..],
                _ => text[..i],
            };
        });

    private static Gen<List<T>> ListOf<T>(this Gen<T> gen, int min, int max) =>
        from n in Gen.Choose(min, max)
        from items in Gen.ArrayOf(gen, n)
        select items.ToList();
}
